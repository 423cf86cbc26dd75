/// Why an agent API call failed, and whether trying again can help.
public struct AgentAPIError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// No answer: connection refused, reset, timed out.
        case unreachable
        /// An HTTP status other than 2xx.
        case status(Int)
        /// 2xx, but the body is not the JSON expected.
        case malformedAnswer
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// 5xx, 408, 429, no answer and garbage may pass; other 4xx say the request itself is wrong
    /// (a bad token, an unknown server), which retrying cannot fix.
    public var isRetryable: Bool {
        switch kind {
        case .unreachable, .malformedAnswer: return true
        case .status(let code): return code >= 500 || code == 408 || code == 429
        }
    }

    public var description: String { message }
}
