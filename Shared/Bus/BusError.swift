import AnvilJSON

/// A JSON-RPC 2.0 error object, and every error the bus itself throws.
///
/// Standard codes (-32700, -32600…-32603) come from the JSON-RPC 2.0 specification; handlers may
/// throw their own codes (-32000…-32099 or positive) with `data`. The client-side transport
/// failures (timeout, refused, closed, frame too large) use codes -32090…-32095, which the bus
/// never sends over the wire.
public struct BusError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String {
        if let data {
            return "bus error \(code): \(message) (\(data.jsonString()))"
        }
        return "bus error \(code): \(message)"
    }

    /// The same error with `data` attached.
    public func withData(_ data: JSONValue?) -> BusError {
        BusError(code: code, message: message, data: data)
    }
}

// MARK: - Codes

extension BusError {
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603

    /// Client side: no answer within the call's timeout.
    public static let timeoutCode = -32090
    /// Client side: nobody accepts connections at the socket path.
    public static let connectionRefusedCode = -32091
    /// Client side: the peer closed the connection (or the client was closed) with calls pending.
    public static let connectionClosedCode = -32092
    /// Client side: a frame larger than the configured maximum (sent or received).
    public static let frameTooLargeCode = -32093
    /// Server side: another live server already listens at the socket path.
    public static let addressInUseCode = -32094
    /// Either side: the socket path does not fit in `sockaddr_un.sun_path`.
    public static let socketPathTooLongCode = -32095
}

// MARK: - Standard errors

extension BusError {
    /// -32700: the frame is not valid JSON.
    public static var parseError: BusError { BusError(code: parseErrorCode, message: "Parse error") }

    /// -32600: the JSON is not a valid JSON-RPC 2.0 request.
    public static var invalidRequest: BusError { BusError(code: invalidRequestCode, message: "Invalid Request") }

    /// -32601, naming the method.
    public static func methodNotFound(_ method: String) -> BusError {
        BusError(code: methodNotFoundCode, message: "Method not found: \(method)")
    }

    /// -32602 with a human-readable reason.
    public static func invalidParams(_ reason: String) -> BusError {
        BusError(code: invalidParamsCode, message: "Invalid params: \(reason)")
    }

    /// -32603 with a human-readable reason.
    public static func internalError(_ reason: String) -> BusError {
        BusError(code: internalErrorCode, message: "Internal error: \(reason)")
    }
}

// MARK: - Transport errors

extension BusError {
    /// "call X timed out after Ns".
    public static func timeout(method: String, after timeout: Duration) -> BusError {
        BusError(code: timeoutCode, message: "call \(method) timed out after \(formatSeconds(timeout))")
    }

    public static func connectionRefused(path: String, reason: String) -> BusError {
        BusError(code: connectionRefusedCode, message: "cannot connect to bus peer at \(path): \(reason)")
    }

    /// "bus peer at PATH closed the connection".
    public static func connectionClosed(path: String) -> BusError {
        BusError(code: connectionClosedCode, message: "bus peer at \(path) closed the connection")
    }

    /// The client was closed by its owner.
    public static func clientClosed(path: String) -> BusError {
        BusError(code: connectionClosedCode, message: "bus client for \(path) is closed")
    }

    /// "frame of N bytes exceeds the L-byte limit" (client side; the server answers the same
    /// text with code -32600, see ``oversizedRequest(size:limit:)``).
    public static func frameTooLarge(size: Int, limit: Int) -> BusError {
        BusError(code: frameTooLargeCode, message: frameTooLargeMessage(size: size, limit: limit))
    }

    /// What the server answers before closing a connection that declared an over-size frame.
    public static func oversizedRequest(size: Int, limit: Int) -> BusError {
        BusError(code: invalidRequestCode, message: frameTooLargeMessage(size: size, limit: limit))
    }

    public static func addressInUse(path: String) -> BusError {
        BusError(code: addressInUseCode, message: "address \(path) is in use: a live bus server answers there")
    }

    public static func socketPathTooLong(path: String, limit: Int) -> BusError {
        BusError(
            code: socketPathTooLongCode,
            message: "socket path \(path) is \(path.utf8.count) bytes; Unix socket paths are limited to \(limit) bytes"
        )
    }

    static func frameTooLargeMessage(size: Int, limit: Int) -> String {
        "frame of \(size) bytes exceeds the \(limit)-byte limit"
    }

    static func formatSeconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 1000).rounded() / 1000)s"
    }
}
