import AnvilDaemon
import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `http(s)://` assets through async-http-client: redirects followed (GitHub release URLs
/// redirect to their CDN), 2xx only, the body streamed chunk by chunk, never held in memory.
struct HTTPAssetSource: Sendable {
    let client: HTTPClient
    /// The whole transfer, headers to last byte (the client's read timeout catches a stall sooner).
    let totalTimeout: Duration
    let logger: Logger

    /// One client for all downloads: connect within 10 s, and no more than 60 s without a byte.
    /// A failed connect fails the attempt at once (the controller's backoff retries, and the
    /// operator sees "connection refused" now rather than a timeout later).
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 10, allowCycles: false),
            timeout: .init(connect: .seconds(10), read: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func stream(_ url: String, into writer: AssetStreamWriter, report: ProgressReporter) async throws {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "anvil-reconciler/\(AnvilVersion.current)")
        let deadline = ContinuousClock.now + totalTimeout
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(totalTimeout.components.seconds), logger: logger)
        } catch {
            // The client reports a cancelled task as its own error; shutdown is not a failure.
            try Task.checkCancellation()
            throw AssetFetchError.unreachable(url: url, detail: Self.describe(error))
        }
        guard (200..<300).contains(response.status.code) else {
            throw AssetFetchError.httpStatus(url: url, code: response.status.code, reason: response.status.reasonPhrase)
        }
        writer.expectedLength = response.headers.first(name: "content-length").flatMap { Int64($0) }
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { try writer.append($0) }
                if ContinuousClock.now > deadline {
                    throw AssetFetchError.interrupted(
                        url: url, received: writer.received, detail: "not finished within \(totalTimeout)")
                }
                if let due = writer.dueReport() { await report(due) }
            }
        } catch let error as AssetFetchError {
            throw error
        } catch {
            try Task.checkCancellation()
            throw AssetFetchError.interrupted(url: url, received: writer.received, detail: Self.describe(error))
        }
        if let expected = writer.expectedLength, writer.received < expected {
            throw AssetFetchError.truncated(url: url, received: writer.received, expected: expected)
        }
    }

    /// Client and NIO errors in words (their default descriptions are type dumps).
    static func describe(_ error: Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout: return "connect timed out"
            case .readTimeout: return "no data for too long (read timeout)"
            case .deadlineExceeded: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .redirectLimitReached: return "too many redirects"
            case .redirectCycleDetected: return "redirect loop"
            default: return "\(client)"
            }
        }
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return "cannot resolve \(connection.host): \(dns)"
            }
            if let first = connection.connectionErrors.first {
                return "cannot connect to \(connection.host):\(connection.port): \(describe(first.error))"
            }
            return "cannot connect to \(connection.host):\(connection.port)"
        }
        return "\(error)"
    }
}
