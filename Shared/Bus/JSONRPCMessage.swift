import AnvilJSON
import NIOCore

/// A JSON-RPC 2.0 request id: a string, an integer, or (discouraged, but legal) null.
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)
    case null

    public var json: JSONValue {
        switch self {
        case .number(let number): return .int(number)
        case .string(let string): return .string(string)
        case .null: return .null
        }
    }

    public var description: String { json.jsonString() }

    init?(_ value: JSONValue) {
        switch value {
        case .int(let number): self = .number(number)
        case .string(let string): self = .string(string)
        case .null: self = .null
        default: return nil
        }
    }
}

/// A request (with an id) or a notification (`id == nil`).
public struct JSONRPCRequest: Sendable, Equatable {
    public var id: JSONRPCID?
    public var method: String
    /// An array or object, or absent.
    public var params: JSONValue?

    public init(id: JSONRPCID?, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }

    public var isNotification: Bool { id == nil }

    /// A frame element read as a request, or the error response it earns.
    enum Parsed {
        case request(JSONRPCRequest)
        case rejected(JSONRPCResponse)
    }

    /// Validates one element of a frame. On failure, returns the id (when it could be read) and
    /// the -32600 error to answer with.
    static func parse(_ value: JSONValue) -> Parsed {
        guard case .object(let members) = value else {
            return .rejected(JSONRPCResponse(id: .null, error: BusError.invalidRequest.withData("a request must be an object")))
        }
        var id: JSONRPCID?
        if let rawID = members["id"] {
            guard let parsed = JSONRPCID(rawID) else {
                return .rejected(
                    JSONRPCResponse(id: .null, error: BusError.invalidRequest.withData("id must be a string, an integer or null"))
                )
            }
            id = parsed
        }
        func invalid(_ reason: String) -> Parsed {
            .rejected(JSONRPCResponse(id: id ?? .null, error: BusError.invalidRequest.withData(.string(reason))))
        }
        guard members["jsonrpc"] == .string("2.0") else { return invalid("jsonrpc must be \"2.0\"") }
        guard case .string(let method) = members["method"] else { return invalid("method must be a string") }
        let params = members["params"]
        switch params {
        case nil, .array?, .object?: break
        default: return invalid("params must be an array or an object")
        }
        return .request(JSONRPCRequest(id: id, method: method, params: params))
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"jsonrpc":"2.0","method":"#)
        BusJSON.writeString(method, into: &buffer)
        if let params {
            buffer.writeStaticString(#","params":"#)
            BusJSON.write(params, into: &buffer)
        }
        if let id {
            buffer.writeStaticString(#","id":"#)
            BusJSON.write(id.json, into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }
}

/// A response: a result or an error, for the request with the same id.
public struct JSONRPCResponse: Sendable, Equatable {
    public var id: JSONRPCID
    public var outcome: Result<JSONValue, BusError>

    public init(id: JSONRPCID, outcome: Result<JSONValue, BusError>) {
        self.id = id
        self.outcome = outcome
    }

    public init(id: JSONRPCID, result: JSONValue) {
        self.init(id: id, outcome: .success(result))
    }

    public init(id: JSONRPCID, error: BusError) {
        self.init(id: id, outcome: .failure(error))
    }

    public var isError: Bool {
        if case .failure = outcome { return true }
        return false
    }

    struct Malformed: Error {}

    /// Reads a response object (client side).
    static func parse(_ value: JSONValue) throws -> JSONRPCResponse {
        guard case .object(let members) = value,
            members["jsonrpc"] == .string("2.0"),
            let rawID = members["id"], let id = JSONRPCID(rawID)
        else { throw Malformed() }
        if let result = members["result"] {
            return JSONRPCResponse(id: id, result: result)
        }
        guard case .object(let error)? = members["error"],
            let code = error["code"]?.intValue, let message = error["message"]?.stringValue
        else { throw Malformed() }
        return JSONRPCResponse(id: id, error: BusError(code: Int(code), message: message, data: error["data"]))
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"jsonrpc":"2.0","#)
        switch outcome {
        case .success(let result):
            buffer.writeStaticString(#""result":"#)
            BusJSON.write(result, into: &buffer)
        case .failure(let error):
            buffer.writeStaticString(#""error":{"code":"#)
            buffer.writeString(String(error.code))
            buffer.writeStaticString(#","message":"#)
            BusJSON.writeString(error.message, into: &buffer)
            if let data = error.data {
                buffer.writeStaticString(#","data":"#)
                BusJSON.write(data, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeStaticString(#","id":"#)
        BusJSON.write(id.json, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "}"))
    }
}

/// Writes a JSON array of already-encodable messages.
func writeBatch<Element>(_ elements: [Element], into buffer: inout ByteBuffer, _ write: (Element, inout ByteBuffer) -> Void) {
    buffer.writeInteger(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
        if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
        write(element, &buffer)
    }
    buffer.writeInteger(UInt8(ascii: "]"))
}
