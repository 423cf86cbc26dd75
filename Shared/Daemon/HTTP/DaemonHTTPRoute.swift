import AnvilHTTPServer
import NIOHTTP1

/// One of a daemon's HTTP routes: a path (exact, or a prefix whose rest the handler gets), the
/// methods it answers, and the name its requests are counted under.
public struct DaemonHTTPRoute: Sendable {
    public enum Path: Sendable {
        case exact(String)
        case prefix(String)
    }

    public typealias Handler = @Sendable (HTTPServerRequest, _ rest: Substring) async -> HTTPServerResponse

    public let name: String
    public let path: Path
    public let methods: [HTTPMethod]
    public let handler: Handler

    public init(_ name: String, _ path: Path, methods: [HTTPMethod] = [.GET, .HEAD], handler: @escaping Handler) {
        self.name = name
        self.path = path
        self.methods = methods
        self.handler = handler
    }

    /// The rest of `path` after this route's prefix (empty for an exact match), or nil when it does not match.
    func match(_ requestPath: Substring) -> Substring? {
        switch path {
        case .exact(let exact): return requestPath == exact ? requestPath.dropFirst(requestPath.count) : nil
        case .prefix(let prefix): return requestPath.hasPrefix(prefix) ? requestPath.dropFirst(prefix.count) : nil
        }
    }

    /// How the path reads in a 404's list of what the daemon serves.
    var shown: String {
        switch path {
        case .exact(let exact): return exact
        case .prefix(let prefix): return prefix + "…"
        }
    }
}
