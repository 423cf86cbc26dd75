/// What every back-end passes through before it talks to a BMC: its own FIFO queue (one command
/// in flight per BMC) and then the global limit on commands in flight across all BMCs. Waiting
/// in the queue holds no global permit.
public struct PowerCommandGate: Sendable {
    let queue = AsyncFIFOSemaphore(permits: 1)
    let limiter: AsyncFIFOSemaphore?

    public init(limiter: AsyncFIFOSemaphore?) {
        self.limiter = limiter
    }

    /// Runs `body` holding both; errors other than ``PowerError`` become `.protocolError`.
    public func run<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws(PowerError) -> T {
        do {
            try await queue.acquire()
        } catch {
            throw .deadlineExceeded("\(what) cancelled while queued for the BMC")
        }
        defer { Task { await queue.release() } }
        do {
            try await limiter?.acquire()
        } catch {
            throw .deadlineExceeded("\(what) cancelled while waiting for a free command slot")
        }
        defer { if let limiter { Task { await limiter.release() } } }
        do {
            return try await body()
        } catch let error as PowerError {
            throw error
        } catch {
            throw .protocolError("\(what): \(error)")
        }
    }
}
