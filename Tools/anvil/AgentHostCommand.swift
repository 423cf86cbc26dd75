import AnvilSpawn
import Foundation

/// Runs the host tools `anvil agent build` relies on (apt-get, dpkg-deb, xz, zstd, strip, ldd,
/// sha256sum), turning a missing tool or a failure into one clear error naming the command.
struct AgentHostCommand {
    /// A tool and the Debian package that provides it, for the error message.
    let tool: String
    let package: String

    static let aptGet = AgentHostCommand(tool: "apt-get", package: "apt")
    static let aptCache = AgentHostCommand(tool: "apt-cache", package: "apt")
    static let dpkgDeb = AgentHostCommand(tool: "dpkg-deb", package: "dpkg")
    static let xz = AgentHostCommand(tool: "xz", package: "xz-utils")
    static let zstd = AgentHostCommand(tool: "zstd", package: "zstd")
    static let gzip = AgentHostCommand(tool: "gzip", package: "gzip")
    static let strip = AgentHostCommand(tool: "strip", package: "binutils")
    static let ldd = AgentHostCommand(tool: "ldd", package: "libc-bin")
    static let sha256sum = AgentHostCommand(tool: "sha256sum", package: "coreutils")

    /// The tool's path on PATH, nil when it is not installed.
    var executable: URL? {
        SpawnedProcess.locate(tool).map { URL(fileURLWithPath: $0) }
    }

    var isInstalled: Bool { executable != nil }

    /// Runs the tool; returns its stdout (unless `stdout` sends it to a file). Throws naming the
    /// command line and its stderr when it exits non-zero.
    @discardableResult
    func run(_ arguments: [String], stdin: URL? = nil, stdout: URL? = nil, in directory: URL? = nil) throws -> String {
        guard let executable else {
            throw CLIError("agent build: `\(tool)` is not installed (Debian package \(package))")
        }
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outputURL = stdout ?? capture.appendingPathComponent("stdout")
        let errorURL = capture.appendingPathComponent("stderr")
        let commandLine = ([tool] + arguments).joined(separator: " ")
        let process: SpawnedProcess
        do {
            // Files, not pipes: a chatty tool cannot block on a full pipe while we wait for it.
            process = try SpawnedProcess(
                executable: executable.path, arguments: arguments, environment: SpawnedProcess.currentEnvironment(),
                input: stdin.map { .file($0.path) } ?? .discard,
                output: .replace(outputURL.path), error: .replace(errorURL.path), directory: directory?.path)
        } catch {
            throw CLIError("agent build: cannot start `\(commandLine)`: \(error)")
        }
        let exit = process.waitForExit()
        let errors = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        guard exit == .exited(0) else {
            let detail = errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").suffix(5).joined(separator: " | ")
            let how = if case .signalled(let signal) = exit { "killed by signal \(signal)" } else { "status \(exit.status)" }
            throw CLIError("agent build: `\(commandLine)` failed (\(how))\(detail.isEmpty ? "" : ": \(detail)")")
        }
        return stdout == nil ? ((try? String(contentsOf: outputURL, encoding: .utf8)) ?? "") : ""
    }
}

/// A file's SHA-256 in hex, by `sha256sum` (coreutils).
func sha256Hex(of url: URL) throws -> String {
    let output = try AgentHostCommand.sha256sum.run([url.path])
    guard let digest = output.split(separator: " ").first, digest.count == 64 else {
        throw CLIError("agent build: sha256sum printed \(output.prefix(100))")
    }
    return String(digest)
}
