import Foundation

/// Runs the real `anvil` binary against one state directory.
struct AnvilCLI {
    let state: TemporaryDirectory

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) async throws -> ChildProcess.Result {
        try await run(arguments, stdin: stdin)
    }

    func run(_ arguments: [String], stdin: String? = nil) async throws -> ChildProcess.Result {
        try await ChildProcess.run(BuiltProducts.url("anvil"), arguments, environment: ["ANVIL_STATE": state.path], stdin: stdin)
    }

    /// Runs and requires exit status 0; returns stdout.
    func ok(_ arguments: String..., stdin: String? = nil) async throws -> String {
        let result = try await run(arguments, stdin: stdin)
        guard result.status == 0 else {
            throw TestFailure("anvil \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
