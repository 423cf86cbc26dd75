#if canImport(Glibc)
import Glibc
#endif
import AnvilSpawnShim

/// Running a short-lived tool to its end: the one way the suite and its tests start a program that
/// is not a daemon (Foundation's `Process` is not used anywhere: Shared/Spawn/SpawnedProcess.swift).
extension SpawnedProcess {
    /// How a run ended and what it printed.
    public struct Finished: Sendable {
        public let exit: Exit
        public let output: [UInt8]
        public let error: [UInt8]

        public var status: Int32 { exit.status }
        public var succeeded: Bool { exit == .exited(0) }
        public var outputText: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: error, as: UTF8.self) }
    }

    /// Runs `executable` (a path, or a name looked up on PATH) to its end, blocking the calling
    /// thread. Standard output is collected; standard error too unless `error` sends it elsewhere
    /// (`.toOutput`: one interleaved stream in `output`). `input`, when given, is written to its
    /// standard input, which is then closed.
    public static func run(
        _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        input: [UInt8]? = nil, error: Output = .pipe, directory: String? = nil
    ) throws(SpawnError) -> Finished {
        let process = try start(executable, arguments, environment: environment, input: input, error: error, directory: directory)
        return process.finish(input: input ?? [])
    }

    /// `run` for async callers: started at once, then read and waited for on a thread of its own,
    /// so the blocking reads never hold a thread of the cooperative pool and any number of runs
    /// proceed side by side.
    public static func runInBackground(
        _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        input: [UInt8]? = nil, error: Output = .pipe, directory: String? = nil
    ) async throws -> Finished {
        let process = try start(executable, arguments, environment: environment, input: input, error: error, directory: directory)
        return await OwnThread.run { process.finish(input: input ?? []) }
    }

    private static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]?,
        input: [UInt8]?, error: Output, directory: String?
    ) throws(SpawnError) -> SpawnedProcess {
        guard let path = locate(executable) else {
            throw SpawnError(executable: executable, call: "PATH lookup", code: ENOENT)
        }
        return try SpawnedProcess(
            executable: path, arguments: arguments, environment: environment ?? currentEnvironment(),
            input: input == nil ? .discard : .pipe, output: .pipe, error: error, directory: directory)
    }

    private func finish(input: [UInt8]) -> Finished {
        let (output, errors) = exchange(input: input)
        return Finished(exit: waitForExit(), output: output, error: errors)
    }

    /// Writes `input` to the child's standard input (then closes it) while reading its output
    /// and error pipes to their ends, all on this thread with poll(2): neither side can block the
    /// other on a full pipe.
    func exchange(input: [UInt8]) -> (output: [UInt8], error: [UInt8]) {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var reading = [outputDescriptor, errorDescriptor].compactMap { $0 }
        var writing = inputDescriptor
        var written = 0
        if let writing {
            _ = fcntl(writing, F_SETFL, fcntl(writing, F_GETFL) | O_NONBLOCK)
            if input.isEmpty {
                close(writing)
            }
        }
        if input.isEmpty { writing = nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !reading.isEmpty || writing != nil {
            var descriptors = reading.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let writing { descriptors.append(pollfd(fd: writing, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == writing {
                    let count = input.withUnsafeBytes { raw in
                        Glibc.write(entry.fd, raw.baseAddress! + written, raw.count - written)
                    }
                    if count > 0 { written += count }
                    if (count < 0 && errno != EAGAIN && errno != EINTR) || written == input.count {
                        close(entry.fd)  // done, or the reader is gone (EPIPE): not an error
                        writing = nil
                    }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if count <= 0 {
                    close(entry.fd)
                    reading.removeAll { $0 == entry.fd }
                } else if entry.fd == outputDescriptor {
                    output += buffer[0..<count]
                } else {
                    errors += buffer[0..<count]
                }
            }
        }
        return (output, errors)
    }

    /// This process's environment as a dictionary.
    public static func currentEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        var cursor = anvil_environment()
        while let entry = cursor?.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor = cursor?.successor()
        }
        return environment
    }

    /// `name` itself when it holds a slash, else the first executable of that name on PATH.
    public static func locate(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
