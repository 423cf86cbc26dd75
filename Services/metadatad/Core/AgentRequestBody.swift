import AnvilHTTPServer
import AnvilJSON
import Foundation
import NIOCore
import NIOHTTP1

/// Decodes an agent request's JSON body into a typed value, with an error that says what is wrong.
enum AgentRequestBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPServerRequest) throws(AgentAPIError) -> T {
        guard let body = request.body, body.readableBytes > 0 else {
            throw AgentAPIError(.badRequest, "request body required: JSON object")
        }
        let data = Data(body.readableBytesView)
        let json: JSONValue
        do {
            json = try JSONValue(data: data)
        } catch {
            throw AgentAPIError(.badRequest, "request body is not JSON: \(error)")
        }
        guard case .object = json else { throw AgentAPIError(.badRequest, "request body must be a JSON object") }
        do {
            return try json.decode(T.self)
        } catch let DecodingError.keyNotFound(key, context) {
            throw AgentAPIError(.badRequest, "missing field \(path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw AgentAPIError(.badRequest, "field \(path(context.codingPath)) must be \(expected)")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw AgentAPIError(.badRequest, "field \(path(context.codingPath)) must be \(expected), not null")
        } catch {
            throw AgentAPIError(.badRequest, "invalid request body: \(error)")
        }
    }

    /// Like `decode`, but an absent or empty body is nil (operations whose body is optional).
    static func decodeOptional<T: Decodable>(_ type: T.Type, from request: HTTPServerRequest) throws(AgentAPIError) -> T? {
        guard let body = request.body, body.readableBytes > 0 else { return nil }
        return try decode(type, from: request)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// An agent API failure: the HTTP status and a message for the agent's log.
struct AgentAPIError: Error {
    let status: HTTPResponseStatus
    let message: String

    init(_ status: HTTPResponseStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var response: HTTPServerResponse {
        AgentAPIResponse.json(status, ["error": .string(message)])
    }
}

enum AgentAPIResponse {
    static func json(_ status: HTTPResponseStatus, _ value: JSONValue) -> HTTPServerResponse {
        var bytes = (try? value.data()) ?? Data("{}".utf8)
        bytes.append(UInt8(ascii: "\n"))
        return HTTPServerResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(ByteBuffer(bytes: bytes)))
    }
}
