import AnvilJSON
import NIOCore
import NIOPosix

/// A JSON-RPC client over one persistent Unix-socket connection.
///
/// The connection is opened on first use and shared by concurrent calls (matched by id). If it
/// drops, pending calls fail at once with ``BusError/connectionClosed(path:)`` and the next call
/// reconnects, retrying with exponential backoff within its own timeout.
///
/// A client is pinned to one event loop: its connection lives there, and its methods run with
/// that loop as their task executor, so the actor's bookkeeping, the write and the wake-up on the
/// answer happen on the socket's own thread (one hop in and one hop out per call).
public actor BusClient {
    public nonisolated let socketPath: String
    public nonisolated let defaultTimeout: Duration
    public nonisolated let maxFrameSize: Int

    private nonisolated let executor: BusLoopExecutor
    private var channel: Channel?
    private var connecting: Task<Channel, Error>?
    private var nextID: Int64 = 1
    private var isClosed = false

    /// Connection attempts per call, at most (each call also stops retrying at its deadline).
    static let maximumConnectAttempts = 10
    /// Sends of a request that never reached the socket, at most.
    static let maximumResendAttempts = 3
    static let firstBackoff = TimeAmount.milliseconds(10)
    static let maximumBackoff = TimeAmount.milliseconds(500)

    public init(socketPath: String, defaultTimeout: Duration = .seconds(5), maxFrameSize: Int = 1 << 20) {
        self.socketPath = socketPath
        self.defaultTimeout = defaultTimeout
        self.maxFrameSize = maxFrameSize
        self.executor = BusLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())
    }

    deinit {
        channel?.close(promise: nil)
        connecting?.cancel()
    }

    /// Calls `method` and returns its result; an error response is thrown as ``BusError``, as
    /// are timeouts and connection failures.
    public func call(_ method: String, params: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue {
        try await withTaskExecutorPreference(executor) {
            try await performCall(method, params: params, timeout: timeout)
        }
    }

    private func performCall(_ method: String, params: JSONValue?, timeout: Duration?) async throws -> JSONValue {
        let timeout = timeout ?? defaultTimeout
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let id = allocateID()
        var payload = BusFraming.start()
        JSONRPCRequest(id: .number(id), method: method, params: params).write(into: &payload)
        try finishFrame(&payload)

        return try await sendRetryingUnsent(deadline: deadline) { channel in
            let promise = channel.eventLoop.makePromise(of: Result<JSONValue, BusError>.self)
            let waiter = BusClientWrite.Waiter(id: id, promise: promise, timeoutError: .timeout(method: method, after: timeout))
            channel.writeAndFlush(BusClientWrite(payload: payload, waiters: [waiter], deadline: deadline), promise: nil)
            return try await Self.wait(for: promise).get()
        }
    }

    /// Sends a notification: no id, no response. Returns once the frame is written.
    public func notify(_ method: String, params: JSONValue? = nil) async throws {
        try await withTaskExecutorPreference(executor) {
            try await performNotify(method, params: params)
        }
    }

    private func performNotify(_ method: String, params: JSONValue?) async throws {
        var payload = BusFraming.start()
        JSONRPCRequest(id: nil, method: method, params: params).write(into: &payload)
        try finishFrame(&payload)
        try await sendRetryingUnsent(deadline: NIODeadline.now() + TimeAmount(defaultTimeout)) { channel in
            do {
                try await channel.writeAndFlush(BusClientWrite(payload: payload, waiters: [], deadline: .distantFuture)).get()
            } catch {
                // The write failed, so the peer never got the notification: safe to send again.
                throw BusClientWrite.NotSent()
            }
        }
    }

    /// Sends the calls as one batch. Error responses come back as `.failure` in call order;
    /// transport failures (timeout, closed connection) are thrown.
    public func batch(
        _ calls: [(method: String, params: JSONValue?)],
        timeout: Duration? = nil
    ) async throws -> [Result<JSONValue, BusError>] {
        guard !calls.isEmpty else { return [] }
        return try await withTaskExecutorPreference(executor) {
            try await performBatch(calls, timeout: timeout)
        }
    }

    private func performBatch(
        _ calls: [(method: String, params: JSONValue?)],
        timeout: Duration?
    ) async throws -> [Result<JSONValue, BusError>] {
        let timeout = timeout ?? defaultTimeout
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let requests = calls.map { JSONRPCRequest(id: .number(allocateID()), method: $0.method, params: $0.params) }
        var payload = BusFraming.start(capacity: 64 * requests.count)
        writeBatch(requests, into: &payload) { $0.write(into: &$1) }
        try finishFrame(&payload)

        let methods = calls.map(\.method).joined(separator: ",")
        return try await sendRetryingUnsent(deadline: deadline) { channel in
            let waiters = requests.map { request -> BusClientWrite.Waiter in
                guard case .number(let id) = request.id else { preconditionFailure("batch calls carry numeric ids") }
                return BusClientWrite.Waiter(
                    id: id,
                    promise: channel.eventLoop.makePromise(),
                    timeoutError: .timeout(method: "batch[\(methods)]", after: timeout)
                )
            }
            channel.writeAndFlush(BusClientWrite(payload: payload, waiters: waiters, deadline: deadline), promise: nil)
            return try await Self.wait(for: waiters.map(\.promise))
        }
    }

    /// Closes the connection; later calls throw ``BusError/clientClosed(path:)``.
    public func close() async {
        isClosed = true
        connecting?.cancel()
        connecting = nil
        if let channel {
            self.channel = nil
            try? await channel.close().get()
        }
    }

    // MARK: - Internals

    /// Runs `send` on a connected channel. If the connection turns out to be dead before the
    /// frame reached the socket (the peer went away and we had not noticed yet), nothing was
    /// delivered, so it reconnects and sends again, a bounded number of times.
    private func sendRetryingUnsent<T: Sendable>(
        deadline: NIODeadline,
        _ send: (Channel) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let channel = try await connectedChannel(deadline: deadline)
            do {
                return try await send(channel)
            } catch is BusClientWrite.NotSent {
                if self.channel === channel { self.channel = nil }
                if attempt >= Self.maximumResendAttempts || NIODeadline.now() >= deadline {
                    throw BusError.connectionClosed(path: socketPath)
                }
            }
        }
    }

    private func allocateID() -> Int64 {
        defer { nextID &+= 1 }
        return nextID
    }

    /// Fills in the length prefix, refusing frames the limit forbids.
    private func finishFrame(_ frame: inout ByteBuffer) throws {
        let size = BusFraming.payloadSize(frame)
        if size > maxFrameSize {
            throw BusError.frameTooLarge(size: size, limit: maxFrameSize)
        }
        BusFraming.finish(&frame)
    }

    /// One call's answer, without the arrays a batch needs.
    private static func wait(
        for promise: EventLoopPromise<Result<JSONValue, BusError>>
    ) async throws -> Result<JSONValue, BusError> {
        try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    private static func wait(
        for promises: [EventLoopPromise<Result<JSONValue, BusError>>]
    ) async throws -> [Result<JSONValue, BusError>] {
        try await withTaskCancellationHandler {
            var results: [Result<JSONValue, BusError>] = []
            results.reserveCapacity(promises.count)
            for promise in promises {
                results.append(try await promise.futureResult.get())
            }
            return results
        } onCancel: {
            for promise in promises { promise.fail(CancellationError()) }
        }
    }

    private func connectedChannel(deadline: NIODeadline) async throws -> Channel {
        if isClosed { throw BusError.clientClosed(path: socketPath) }
        if let channel, channel.isActive { return channel }
        channel = nil
        if let connecting {
            return try await connecting.value
        }
        let path = socketPath
        let maxFrameSize = maxFrameSize
        let loop = executor.loop
        let task = Task(executorPreference: executor) {
            try await Self.connect(path: path, maxFrameSize: maxFrameSize, loop: loop, deadline: deadline)
        }
        connecting = task
        do {
            let channel = try await task.value
            connecting = nil
            if isClosed {
                channel.close(promise: nil)
                throw BusError.clientClosed(path: socketPath)
            }
            self.channel = channel
            return channel
        } catch {
            connecting = nil
            throw error
        }
    }

    /// Connects, retrying with exponential backoff until the attempts or the deadline run out.
    private static func connect(
        path: String,
        maxFrameSize: Int,
        loop: any EventLoop,
        deadline: NIODeadline
    ) async throws -> Channel {
        try UnixSocket.checkPathLength(path)
        // Frames leave already length-prefixed (see BusFraming), so no encoder is needed.
        let bootstrap = ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(BusFrameDecoder(maxFrameSize: maxFrameSize)),
                        BusClientHandler(socketPath: path, maxFrameSize: maxFrameSize)
                    )
                }
            }
        var backoff = firstBackoff
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await bootstrap.connect(unixDomainSocketPath: path).get()
            } catch {
                let reason = (error as? IOError).map { UnixSocket.errorDescription($0.errnoCode) } ?? "\(error)"
                let failure = BusError.connectionRefused(path: path, reason: reason)
                if attempt >= maximumConnectAttempts || NIODeadline.now() + backoff >= deadline {
                    throw failure
                }
            }
            try await Task.sleep(nanoseconds: UInt64(backoff.nanoseconds))
            backoff = min(backoff * 2, maximumBackoff)
        }
    }
}
