import AsyncHTTPClient
import NIOCore
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Names what went wrong below HTTP (no connection, no answer, TLS) as a `PowerError`.
enum TransportFailure {
    static func powerError(_ error: any Error, request: String, timeout: Duration) -> PowerError {
        if let error = error as? PowerError { return error }
        if error is CancellationError {
            return .deadlineExceeded("\(request): cancelled")
        }
        if let error = error as? HTTPClientError {
            return clientError(error, request: request, timeout: timeout)
        }
        if let text = tlsText(error) {
            return .unreachable("TLS: \(request): \(text)")
        }
        if error is NIOTooManyBytesError {
            return .protocolError("\(request): the answer is larger than \(HTTPExchange.maximumBodyBytes) bytes")
        }
        return .unreachable("\(request): \(connectionText(error))")
    }

    private static func clientError(_ error: HTTPClientError, request: String, timeout: Duration) -> PowerError {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
            return .unreachable("\(request): no answer within \(timeout.secondsText)")
        case .tlsHandshakeTimeout:
            return .unreachable("TLS: \(request): no TLS handshake within \(timeout.secondsText)")
        case .cancelled:
            return .deadlineExceeded("\(request): cancelled")
        case .invalidURL, .emptyHost, .emptyScheme:
            return .invalidConfiguration("\(request): \(error)")
        case .remoteConnectionClosed:
            return .unreachable("\(request): the connection was closed before an answer came")
        default:
            return .unreachable("\(request): \(error)")
        }
    }

    /// The TLS failure in words, with a hint when it is the certificate that was refused.
    private static func tlsText(_ error: any Error) -> String? {
        guard error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError else { return nil }
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the BMC's certificate is not trusted (set insecureSkipVerify to accept a self-signed one): \(text)"
        }
        return text
    }

    private static func connectionText(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return "connection refused" }
        // NIOPosix's NIOConnectionError wraps one IOError per address tried; it is not a dependency
        // of this target, so recognise the refusal by its words.
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return text
    }
}
