import AnvilJSON
import Logging
import NIOCore
import NIOPosix

/// Serves a ``BusRouter`` on a Unix stream socket.
///
/// Each connection reads frames in order and handles every request in its own task (on the
/// connection's event loop, see ``BusServerConnection``), so a slow handler does not hold up
/// the others; responses carry the request's id.
public final class BusServer: Sendable {
    public let socketPath: String
    public let router: BusRouter
    public let maxFrameSize: Int
    /// How long a stop waits for requests in flight to be answered before cancelling them.
    public let drainTimeout: Duration
    private let logger: Logger
    let counters = BusServerCounters()

    public init(
        socketPath: String, router: BusRouter, maxFrameSize: Int = 1 << 20, drainTimeout: Duration = .seconds(10), logger: Logger
    ) {
        self.socketPath = socketPath
        self.router = router
        self.maxFrameSize = maxFrameSize
        self.drainTimeout = drainTimeout
        var logger = logger
        logger[metadataKey: "bus.socket"] = "\(socketPath)"
        self.logger = logger
    }

    /// Counters for `service.info`.
    public var statistics: BusServerStatistics { counters.snapshot }

    /// Binds the socket (mode 0660), serves until the task is cancelled, then closes every
    /// connection and removes the socket file.
    ///
    /// A socket file left by a dead server is removed first; if a live server answers at the
    /// path, this throws ``BusError/addressInUse(path:)``.
    public func run() async throws {
        try UnixSocket.checkPathLength(socketPath)
        try removeStaleSocketFile()

        let maxFrameSize = self.maxFrameSize
        let connections = BusConnectionRegistry()
        let serverChannel: any Channel
        do {
            serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let connection = BusServerConnection(server: self, eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(BusFrameDecoder(maxFrameSize: maxFrameSize)),
                            connection
                        )
                        let bound = NIOLoopBound(connection, eventLoop: channel.eventLoop)
                        connections.add(channel, drained: connection.drained.futureResult) {
                            channel.eventLoop.flatSubmit { bound.value.whenIdle() }
                        }
                    }
                }
                .bind(unixDomainSocketPath: socketPath)
                .get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw BusError.addressInUse(path: socketPath)
        }
        let identity = UnixSocket.identity(socketPath)
        if !UnixSocket.setMode(socketPath, 0o660) {
            logger.warning("could not set mode 0660 on the bus socket")
        }
        logger.info("bus listening", metadata: ["bus.methods": "\(router.methods.count)"])

        defer {
            // Remove the socket file only if it is still ours (a successor may have replaced it).
            if let identity, let current = UnixSocket.identity(socketPath), current == identity {
                UnixSocket.unlinkFile(socketPath)
            }
            logger.info("bus stopped")
        }

        // Serve until cancelled (or the listening socket fails); then let the requests in flight
        // be answered (at most `drainTimeout`), close every connection and wait for the rest,
        // which are cancelled.
        await withTaskCancellationHandler {
            try? await serverChannel.closeFuture.get()
        } onCancel: {
            serverChannel.close(promise: nil)
        }
        serverChannel.close(promise: nil)
        await connections.shutDown(drainTimeout: drainTimeout)
    }

    private func removeStaleSocketFile() throws {
        switch UnixSocket.probe(socketPath) {
        case .missing:
            return
        case .stale:
            logger.info("removing stale bus socket")
            UnixSocket.unlinkFile(socketPath)
        case .listening:
            throw BusError.addressInUse(path: socketPath)
        case .notASocket:
            throw BusError(
                code: BusError.addressInUseCode,
                message: "address \(socketPath) is in use: the file there is not a socket"
            )
        case .unknown(let code):
            throw BusError(
                code: BusError.addressInUseCode,
                message: "cannot check the existing file at \(socketPath): \(UnixSocket.errorDescription(code))"
            )
        }
    }

    // MARK: - Connections

    /// The error answered before closing a connection that announced an over-size frame.
    func oversizeReply(_ declaredLength: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        logger.notice("closing bus connection after an over-size frame", metadata: ["bus.frame.bytes": "\(declaredLength)"])
        counters.update { $0.errors += 1 }
        let response = JSONRPCResponse(id: .null, error: .oversizedRequest(size: declaredLength, limit: maxFrameSize))
        var frame = BusFraming.start(allocator)
        response.write(into: &frame)
        BusFraming.finish(&frame)
        return frame
    }

    func logConnectionEnd(_ error: any Error) {
        logger.debug("bus connection ended", metadata: ["error": "\(error)"])
    }

    /// Handles one frame; returns the framed reply (length prefix included), or nil when
    /// nothing is to be sent.
    func process(_ payload: ByteBuffer, allocator: ByteBufferAllocator) async -> ByteBuffer? {
        let message: JSONValue
        do {
            message = try BusJSON.parse(payload)
        } catch {
            counters.update { $0.errors += 1 }
            let detail: JSONValue = payload.readableBytes == 0 ? "empty frame" : .string("\(error)")
            return encode(JSONRPCResponse(id: .null, error: BusError.parseError.withData(detail)), allocator: allocator)
        }

        switch message {
        case .array(let elements):
            guard !elements.isEmpty else {
                counters.update { $0.errors += 1 }
                return encode(
                    JSONRPCResponse(id: .null, error: BusError.invalidRequest.withData("empty batch")),
                    allocator: allocator
                )
            }
            let responses = await handleBatch(elements)
            guard !responses.isEmpty, !Task.isCancelled else { return nil }
            var frame = BusFraming.start(allocator, capacity: 64 * responses.count)
            writeBatch(responses, into: &frame) { $0.write(into: &$1) }
            return checkedSize(&frame, id: .null, allocator: allocator)
        default:
            guard let response = await handle(message), !Task.isCancelled else { return nil }
            return encode(response, allocator: allocator)
        }
    }

    private func handleBatch(_ elements: [JSONValue]) async -> [JSONRPCResponse] {
        if elements.count == 1 {
            return await handle(elements[0]).map { [$0] } ?? []
        }
        return await withTaskGroup(of: (Int, JSONRPCResponse?).self) { group in
            for (index, element) in elements.enumerated() {
                group.addTask { (index, await self.handle(element)) }
            }
            var slots = [JSONRPCResponse?](repeating: nil, count: elements.count)
            for await (index, response) in group {
                slots[index] = response
            }
            return slots.compactMap { $0 }
        }
    }

    /// Handles one request object; nil for notifications.
    private func handle(_ element: JSONValue) async -> JSONRPCResponse? {
        let request: JSONRPCRequest
        switch JSONRPCRequest.parse(element) {
        case .request(let parsed): request = parsed
        case .rejected(let errorResponse):
            counters.update { $0.errors += 1 }
            return errorResponse
        }
        let outcome = await router.dispatch(request.method, params: request.params)
        let failed: Bool
        if case .failure(let error) = outcome {
            failed = true
            logger.debug(
                "bus method failed",
                metadata: ["bus.method": "\(request.method)", "error": "\(error)"]
            )
        } else {
            failed = false
        }
        counters.update {
            $0.requestsServed += 1
            if failed { $0.errors += 1 }
        }
        guard let id = request.id else { return nil }
        return JSONRPCResponse(id: id, outcome: outcome)
    }

    private func encode(_ response: JSONRPCResponse, allocator: ByteBufferAllocator) -> ByteBuffer {
        var frame = BusFraming.start(allocator)
        response.write(into: &frame)
        return checkedSize(&frame, id: response.id, allocator: allocator)
    }

    /// Completes the frame, replacing a reply the peer could not accept by a small error.
    private func checkedSize(_ frame: inout ByteBuffer, id: JSONRPCID, allocator: ByteBufferAllocator) -> ByteBuffer {
        let size = BusFraming.payloadSize(frame)
        guard size > maxFrameSize else {
            BusFraming.finish(&frame)
            return frame
        }
        counters.update { $0.errors += 1 }
        let response = JSONRPCResponse(
            id: id,
            error: .internalError("response of \(size) bytes exceeds the \(maxFrameSize)-byte limit")
        )
        var replacement = BusFraming.start(allocator, capacity: 160)
        response.write(into: &replacement)
        BusFraming.finish(&replacement)
        return replacement
    }
}
