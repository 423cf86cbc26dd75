import AnvilJSON
import AnvilResources
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The agent API over HTTP: `POST http://<endpoint>/api/v1/…` with the machine token as a
/// bearer token, JSON bodies, a per-call timeout (docs/agent.md).
public struct HTTPAgentAPIClient: AgentAPIClient {
    let baseURL: String
    let token: String?
    let timeout: TimeAmount
    let client: HTTPClient

    /// `endpoint` is `host:port` as on the kernel command line.
    public init(endpoint: String, token: String?, timeout: Duration = .seconds(30), client: HTTPClient = .shared) {
        baseURL = "http://\(endpoint)/api/v1/"
        self.token = token
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.client = client
    }

    public func register(_ registration: Registration) async throws -> RegisterAnswer {
        let body = try await post("register", registration)
        do {
            return try JSONDecoder().decode(RegisterAnswer.self, from: body)
        } catch {
            throw AgentAPIError(.malformedAnswer, "register answered something that is not a registration answer: \(Self.excerpt(body))")
        }
    }

    public func reportAddresses(uuid: String, _ addresses: [NodeAddress]) async throws {
        struct Body: Encodable { let addresses: [NodeAddress] }
        _ = try await post("servers/\(uuid)/addresses", Body(addresses: addresses))
    }

    public func heartbeat(uuid: String, progress: Double?) async throws {
        struct Body: Encodable { let progress: Double? }
        _ = try await post("servers/\(uuid)/heartbeat", Body(progress: progress))
    }

    public func markWiped(uuid: String) async throws {
        struct Empty: Encodable {}
        _ = try await post("servers/\(uuid)/wiped", Empty())
    }

    public func reportBMC(uuid: String, _ report: BMCReport) async throws {
        _ = try await post("servers/\(uuid)/bmc", report)
    }

    /// One POST; a non-2xx answer becomes an `AgentAPIError` carrying the server's `error` text.
    private func post(_ path: String, _ value: some Encodable) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(value)))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw AgentAPIError(.unreachable, "\(path): no answer from \(baseURL): \(error)")
        }
        let data = Data(body.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            let reason = (try? JSONDecoder().decode([String: String].self, from: data))?["error"] ?? Self.excerpt(data)
            throw AgentAPIError(.status(Int(response.status.code)), "\(path): HTTP \(response.status.code): \(reason)")
        }
        return data
    }

    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : "\"\(text)\""
    }
}
