import AnvilStore
import Logging
import ServiceLifecycle

/// Writes boot events to the store off the packet path: transfers only enqueue, one task writes.
/// The queue is bounded; under an extreme storm the oldest pending events are dropped (and the
/// store folds repeats anyway), never the transfers.
struct BootEventRecorder: Service {
    struct Entry: Sendable {
        let client: String
        let type: EventType
        let reason: String
        let message: String
    }

    let store: Store
    let logger: Logger
    private let stream: AsyncStream<Entry>
    private let continuation: AsyncStream<Entry>.Continuation

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Entry.self, bufferingPolicy: .bufferingNewest(4096))
    }

    func record(_ entry: Entry) {
        continuation.yield(entry)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await entry in stream {
                do {
                    try await store.recordEvent(
                        involved: InvolvedObject(kind: "TFTPClient", name: entry.client), type: entry.type,
                        reason: entry.reason, message: entry.message, source: "tftpd")
                } catch {
                    logger.warning("cannot record boot event", metadata: ["client": "\(entry.client)", "error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
