#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One line per step on the console (stdout is /dev/console when the agent is PID 1), prefixed
/// and timed from start, so an operator on the serial console can follow it.
public struct ConsoleLog: Sendable {
    let started = ContinuousClock.now
    let prefix: String

    public init(prefix: String = "anvil-agent") {
        self.prefix = prefix
    }

    public func callAsFunction(_ line: String) {
        let elapsed = String(format: "%7.2f", (ContinuousClock.now - started).inSeconds)
        let text = "[\(elapsed)] \(prefix): \(line)\n"
        _ = text.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    public var sink: @Sendable (String) -> Void { { self($0) } }
}
