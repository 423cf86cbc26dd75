import AnvilDaemon
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// One clear line on stderr and exit code 1 — never a stack trace.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Runs a command body, turning every failure into `error: <message>` and a kubectl-like exit code.
func runCLI(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        StandardStream.error.write("error: \(describe(error))\n")
        throw ExitCode(1)
    }
}

func describe(_ error: Error) -> String {
    "\(error)"
}

/// Writes one line to stdout unbuffered, so piped readers (tests, `get -w | …`) see it at once.
func out(_ items: String..., terminator: String = "\n") {
    StandardStream.output.write(items.joined(separator: " ") + terminator)
}
