#if canImport(Glibc)
import Glibc
#endif
import AnvilSpawnShim
import Synchronization

/// A child process started with posix_spawn, not Foundation's `Process`: on Linux,
/// `Process.run()` lists /proc/self/fd with a 256-byte copy of each short directory record and
/// now and then reads past an unmapped page (swift-corelibs-foundation PR #5472, not in Swift
/// 6.3.1). The test suite, which starts thousands of children from a process with many open
/// sockets, died of it in CI (SIGSEGV in memmove). Here every descriptor above 2 is closed in the
/// child by the kernel (`addclosefrom`), so nothing lists /proc.
public final class SpawnedProcess: Sendable {
    public enum Output: Sendable {
        /// A pipe whose read end `outputDescriptor`/`errorDescriptor` gives.
        case pipe
        /// /dev/null.
        case discard
        /// This process's own stdout or stderr.
        case inherit
        /// A file, created or appended to.
        case append(String)
        /// A file, created or emptied first.
        case replace(String)
        /// Wherever standard output goes (for standard error: one interleaved stream).
        case toOutput
    }

    public enum Input: Sendable {
        /// /dev/null.
        case discard
        /// A pipe whose write end `inputDescriptor` gives.
        case pipe
        /// A file, read from its start.
        case file(String)
    }

    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or the signal's number (as Foundation's `terminationStatus`).
        public var status: Int32 {
            switch self {
            case .exited(let code), .signalled(let code): return code
            }
        }
    }

    public let pid: pid_t
    /// Read ends of `.pipe` outputs (owned by the caller, who closes them), and the write end of
    /// standard input when asked for.
    public let outputDescriptor: Int32?
    public let errorDescriptor: Int32?
    public let inputDescriptor: Int32?
    private let exit = Mutex<Exit?>(nil)

    /// Starts `executable` (a path) with `arguments` and exactly `environment`, in `directory`
    /// (this process's own when nil).
    public init(
        executable: String, arguments: [String], environment: [String: String],
        input: Input = .discard, output: Output = .pipe, error: Output = .pipe, directory: String? = nil
    ) throws(SpawnError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func cleanUp() {
            for fd in parentEnds + childEnds { close(fd) }
        }
        func pipePair() throws(SpawnError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard anvil_pipe_cloexec(&fds) == 0 else {
                let code = errno
                cleanUp()
                throw SpawnError(executable: executable, call: "pipe2", code: code)
            }
            return (fds[0], fds[1])
        }
        var inputWrite: Int32?
        switch input {
        case .pipe:
            let (read, write) = try pipePair()
            parentEnds.append(write)
            childEnds.append(read)
            inputWrite = write
            posix_spawn_file_actions_adddup2(&actions, read, 0)
        case .discard:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        }
        func route(_ destination: Output, to target: Int32) throws(SpawnError) -> Int32? {
            switch destination {
            case .pipe:
                let (read, write) = try pipePair()
                parentEnds.append(read)
                childEnds.append(write)
                posix_spawn_file_actions_adddup2(&actions, write, target)
                return read
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            case .inherit:
                break
            case .append(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .replace(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .toOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
            }
            return nil
        }
        let outputRead = try route(output, to: 1)
        let errorRead = try route(error, to: 2)
        // Nothing but 0, 1 and 2 reaches the child: not the test process's sockets, not the other
        // children's pipes (their ends are close-on-exec too, but not every library's are).
        anvil_spawn_add_close_from(&actions, 3)
        if let directory { anvil_spawn_add_chdir(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default dispositions and an empty mask: a parent that ignores SIGPIPE or blocks signals
        // (for a dispatch source) must not hand that to the child.
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        for fd in childEnds { close(fd) }
        guard code == 0 else {
            for fd in parentEnds { close(fd) }
            throw SpawnError(executable: executable, call: "posix_spawn", code: code)
        }
        pid = child
        outputDescriptor = outputRead
        errorDescriptor = errorRead
        inputDescriptor = inputWrite
    }

    /// nil while it runs; its exit once it has ended (reaped here, once).
    public var exitIfEnded: Exit? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            guard result == pid else { return nil }
            let low = status & 0x7F
            known = low == 0 ? .exited((status >> 8) & 0xFF) : .signalled(low)
            return known
        }
    }

    public var isRunning: Bool { exitIfEnded == nil }

    public func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Blocks the calling thread until the process has ended, and returns how.
    public func waitForExit() -> Exit {
        while true {
            if let known = exitIfEnded { return known }
            // Waits without reaping; exitIfEnded reaps (once, under its lock).
            if anvil_wait_ended(pid) != 0 && errno != EINTR {
                // ECHILD: reaped by someone else after all (exitIfEnded has it, or nobody will).
                return exitIfEnded ?? .signalled(0)
            }
        }
    }

    /// Reads `descriptor` to its end (blocking; retries EINTR), then closes it.
    public static func readToEnd(_ descriptor: Int32, _ chunk: (ArraySlice<UInt8>) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            chunk(buffer[0..<count])
        }
        close(descriptor)
    }

    /// Writes all of `bytes` (retrying EINTR) and closes `descriptor`; a reader gone is not an error.
    public static func writeAndClose(_ descriptor: Int32, _ bytes: [UInt8]) {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let count = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                offset += count
            }
        }
        close(descriptor)
    }
}

public struct SpawnError: Error, CustomStringConvertible, Sendable {
    public let executable: String
    public let call: String
    public let code: Int32

    public init(executable: String, call: String, code: Int32) {
        self.executable = executable
        self.call = call
        self.code = code
    }

    public var description: String {
        "cannot start \(executable): \(call): \(String(cString: strerror(code)))"
    }
}
