import AsyncHTTPClient
import NIOSSL

/// Certificate checking per request, so that one shared HTTP client can serve BMCs with and
/// without `insecureSkipVerify`.
struct RedfishTLS: Sendable {
    /// nil: the client's own configuration, which verifies certificates.
    private let configuration: TLSConfiguration?

    init(insecureSkipVerify: Bool) {
        guard insecureSkipVerify else {
            configuration = nil
            return
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        self.configuration = configuration
    }

    func apply(to request: inout HTTPClientRequest) {
        guard let configuration else { return }
        request.tlsConfiguration = configuration
    }
}
