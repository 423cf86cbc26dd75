import Foundation

/// The run directory where every daemon instance listens on `<service>[-<instance>].sock`.
///
/// File names split at the first `-`: the service is the part before it (service names
/// therefore contain no `-`), the instance the rest.
public struct ServiceDirectory: Sendable {
    public static let socketSuffix = ".sock"
    /// The longest path a Unix socket can be bound to or connected at.
    public static var maximumSocketPathLength: Int { UnixSocket.maximumPathLength }

    public let runDirectory: String

    /// Uses `runDirectory`, creating it (mode 0770) if needed. Creation problems surface on
    /// first use; call ``prepare()`` to see them at once.
    public init(runDirectory: String) {
        self.runDirectory = runDirectory
        try? prepare()
    }

    /// `$ANVIL_RUN_DIR`, or `.anvil/run` relative to the working directory.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ServiceDirectory {
        ServiceDirectory(runDirectory: environment["ANVIL_RUN_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".anvil/run")
    }

    /// Creates the run directory (mode 0770) if it does not exist.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw BusError(code: BusError.addressInUseCode, message: "run directory \(runDirectory) is not a directory")
            }
            return
        }
        try FileManager.default.createDirectory(
            atPath: runDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o770]
        )
        _ = UnixSocket.setMode(runDirectory, 0o770)
    }

    /// `<dir>/<service>.sock` or `<dir>/<service>-<instance>.sock`. Use
    /// ``validatedSocketPath(service:instance:)`` to also check the length limit.
    public func socketPath(service: String, instance: String? = nil) -> String {
        let name = instance.map { "\(service)-\($0)" } ?? service
        return (runDirectory as NSString).appendingPathComponent(name + Self.socketSuffix)
    }

    /// Like ``socketPath(service:instance:)``, but throws ``BusError/socketPathTooLong(path:limit:)``
    /// naming the path when it cannot be used as a Unix socket address.
    public func validatedSocketPath(service: String, instance: String? = nil) throws -> String {
        let path = socketPath(service: service, instance: instance)
        try UnixSocket.checkPathLength(path)
        return path
    }

    /// Socket paths of every instance of `service` (`<service>.sock` and `<service>-*.sock`), sorted.
    public func instances(of service: String) -> [String] {
        services().filter { $0.service == service }.map(\.path)
    }

    /// Every socket in the directory, sorted by file name.
    public func services() -> [(service: String, instance: String?, path: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runDirectory) else { return [] }
        return names.sorted().compactMap { name in
            guard name.hasSuffix(Self.socketSuffix), name.count > Self.socketSuffix.count else { return nil }
            let path = (runDirectory as NSString).appendingPathComponent(name)
            guard UnixSocket.isSocket(path) else { return nil }
            let stem = String(name.dropLast(Self.socketSuffix.count))
            if let dash = stem.firstIndex(of: "-") {
                let instance = String(stem[stem.index(after: dash)...])
                return (String(stem[..<dash]), instance.isEmpty ? nil : instance, path)
            }
            return (stem, nil, path)
        }
    }

    /// Unlinks sockets nobody listens on; returns their paths.
    @discardableResult
    public func removeStale() -> [String] {
        services().compactMap { entry in
            guard UnixSocket.probe(entry.path) == .stale, UnixSocket.unlinkFile(entry.path) else { return nil }
            return entry.path
        }
    }
}
