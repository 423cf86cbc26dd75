import AsyncHTTPClient
import NIOHTTP1

/// Sidero's management API, the small HTTP power switch its QEMU test machines expose:
/// `POST /poweron`, `/poweroff`, `/reboot`, `/pxeboot` and `GET /status`.
public final class ManagementAPIBackend: PowerBackend {
    /// As configured: `host:port`.
    public let endpoint: String
    /// The limit for each request, connection included.
    public let timeout: Duration
    private let address: ManagementAPIEndpoint
    private let lease: HTTPClientLease

    /// - Parameters:
    ///   - endpoint: `host:port` (Sidero's `managementApi.endpoint`); a bad value throws `.invalidConfiguration`.
    ///   - timeout: per request; 10 s as in Sidero.
    ///   - httpClient: a client to share; when nil the back-end makes its own and shuts it down in `shutdown()`.
    ///
    /// Call `shutdown()` before letting go of the back-end: an HTTP client freed while running traps in debug builds.
    public init(endpoint: String, timeout: Duration = .seconds(10), httpClient: HTTPClient? = nil) throws(PowerError) {
        address = try ManagementAPIEndpoint(parsing: endpoint)
        guard timeout > .zero else {
            throw .invalidConfiguration("management API timeout must be positive, not \(timeout)")
        }
        self.endpoint = endpoint
        self.timeout = timeout
        lease = HTTPClientLease(lent: httpClient)
    }

    public func powerState() async throws(PowerError) -> Bool {
        let url = address.url("/status")
        let reply = try await call(.GET, url)
        return try ManagementAPIStatus.poweredOn(from: reply, url: url)
    }

    public func power(_ action: PowerAction) async throws(PowerError) {
        switch action {
        case .on: try await call(.POST, address.url("/poweron"))
        case .off: try await call(.POST, address.url("/poweroff"))
        // The API has one restart; it serves for both.
        case .cycle, .reset: try await call(.POST, address.url("/reboot"))
        // `/poweroff` pulls the plug; pretending it is graceful would lose data.
        case .softOff: throw .notSupported("the management API has no soft power-off")
        }
    }

    /// `/pxeboot` makes the next boot a network boot; the API has no firmware mode, so `mode` is
    /// ignored, and no way back to disk other than booting without it.
    public func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError) {
        guard request.device == .pxe else {
            throw .notSupported("the management API can only select PXE boot, not \(request.device.rawValue)")
        }
        try await call(.POST, address.url("/pxeboot"))
    }

    public func info() async throws(PowerError) -> [String: String] {
        ["kind": "managementApi", "endpoint": endpoint]
    }

    public func shutdown() async {
        await lease.release()
    }

    /// One request; anything but 200 is an error naming the URL and the status.
    @discardableResult
    private func call(_ method: HTTPMethod, _ url: String) async throws(PowerError) -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let reply = try await HTTPExchange.perform(request, on: lease.client, timeout: timeout)
        guard reply.status == .ok else {
            let detail = reply.text.isEmpty ? "" : ": \(reply.text.prefix(200))"
            throw .protocolError("\(method.rawValue) \(url) answered \(reply.statusLine)\(detail)")
        }
        return reply
    }
}
