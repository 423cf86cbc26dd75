import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One machine's HTTP client: every connection is bound to the machine's own loopback address,
/// so bootd and metadatad see one source address per server as on a real network (machine
/// tokens are bound to it, docs/security.md). Shut it down when the machine is done.
public final class MachineHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public var isSuccess: Bool { (200..<300).contains(status) }
    }

    public let client: HTTPClient
    let record: MachineRecord
    let timeout: TimeAmount

    public init(localAddress: String, record: MachineRecord, timeout: Duration = .seconds(10)) {
        var configuration = HTTPClient.Configuration()
        configuration.localAddress = localAddress
        // Idle connections closed soon: a rebooted machine opens new ones, as a real one does.
        configuration.connectionPool = .init(idleTimeout: .seconds(5))
        client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration)
        self.record = record
        self.timeout = .milliseconds(Int64(timeout.components.seconds) * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    }

    public func get(_ url: String, bearer token: String? = nil) async throws -> Response {
        try await execute(url, method: .GET, body: nil, bearer: token)
    }

    public func post(_ url: String, json: String, bearer token: String? = nil) async throws -> Response {
        try await execute(url, method: .POST, body: json, bearer: token)
    }

    private func execute(_ url: String, method: HTTPMethod, body: String?, bearer token: String?) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 1 << 22)
            let status = Int(response.status.code)
            record.countHTTP(failed: !(200..<300).contains(status))
            return Response(status: status, body: String(buffer: bytes))
        } catch {
            // A call cut short by a power event (the boot was cancelled) is no failure of Anvil's.
            record.countHTTP(failed: !Task.isCancelled)
            throw error
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
