import AsyncHTTPClient

/// The HTTP client a back-end talks through: one it was lent (bmcd's shared client, left running)
/// or one it made for itself (shut down with the back-end).
struct HTTPClientLease: Sendable {
    let client: HTTPClient
    let owned: Bool

    init(lent: HTTPClient?) {
        if let lent {
            client = lent
            owned = false
        } else {
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.ownConfiguration)
            owned = true
        }
    }

    /// A refused connection or a bad certificate fails the request at once instead of being
    /// retried silently until the request's deadline: the caller decides about retries.
    static var ownConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// Shuts the client down if it is ours; a lent client belongs to whoever lent it.
    func release() async {
        guard owned else { return }
        // A second shutdown only reports "already shut down": nothing to do about it.
        try? await client.shutdown()
    }
}
