import Foundation

/// Finds the daemon executables built next to `anvil` (same build directory).
enum DaemonBinaries {
    static func directory() -> URL {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent()
    }

    static func path(of service: String) throws -> URL {
        let url = directory().appendingPathComponent(service)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CLIError("\(service) is not built (looked for \(url.path)); run `swift build` first, which builds every daemon")
        }
        return url
    }
}
