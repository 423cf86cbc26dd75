import AnvilBootFiles
import AnvilDaemon
import AnvilStore
import AnvilTFTP
import Logging
import NIOCore
import Synchronization

/// What every transfer and the listener share across event loops: settings, the file root,
/// admission counters, metrics, the log and the boot event queue.
final class TFTPServerContext: Sendable {
    let settings: TFTPDSettings
    let root: BootFileRoot
    let metrics: TFTPMetrics
    let logger: Logger
    let events: EventBatchRecorder
    let segmentationOffload: TFTPSegmentationOffload
    /// Packetized boot files, shared by every transfer.
    let packets = TFTPPacketCache()
    let allocator = ByteBufferAllocator()
    private let admission: Mutex<TFTPAdmission<String>>
    /// The port the listener got (the configured one, or the kernel's pick for port 0).
    let boundPort = Mutex<Int?>(nil)

    init(settings: TFTPDSettings, root: BootFileRoot, metrics: TFTPMetrics, logger: Logger, events: EventBatchRecorder) {
        self.settings = settings
        self.root = root
        self.metrics = metrics
        self.logger = logger
        self.events = events
        self.segmentationOffload = TFTPSegmentationOffload(requested: settings.segmentationOffload)
        self.admission = Mutex(TFTPAdmission(limits: settings.admission))
    }

    /// Monotonic time as the state machines see it.
    static func now() -> Duration { .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds)) }

    /// One unit of a client's request budget; false (and counted) when it is spent.
    func takeRequestToken(client: String) -> Bool {
        let granted = admission.withLock { $0.takeRequestToken(for: client, now: Self.now()) }
        if !granted { metrics.refused("rate_limited") }
        return granted
    }

    func admit(client: String) -> TFTPAdmission<String>.Refusal? {
        let refusal = admission.withLock { $0.admit(client) }
        if let refusal { metrics.refused(refusal.rawValue) } else { metrics.active.increment() }
        return refusal
    }

    /// An admitted transfer that never started (no socket could be opened for it).
    func abandoned(clientIP: String, reason: String) {
        admission.withLock { $0.finished(clientIP) }
        metrics.active.decrement()
        metrics.failed.increment()
        logger.error("transfer not started", metadata: ["client": "\(clientIP)", "reason": "\(reason)"])
    }

    /// Some devices refuse GSO: one datagram per block from now on, for every transfer; the
    /// retransmission timer resends what was lost.
    func segmentationOffloadFailed(_ reason: String) {
        if segmentationOffload.disable() {
            logger.warning("UDP segmentation offload failed; sending one datagram per block from now on", metadata: ["error": "\(reason)"])
        }
    }

    var activeTransfers: Int { admission.withLock { $0.activeTransfers } }

    /// Releases the admission slot, logs the transfer, counts it and queues its boot event.
    func finished(_ summary: TFTPTransferSummary) {
        admission.withLock { $0.finished(summary.clientIP) }
        metrics.active.decrement()
        metrics.bytes.increment(by: Int64(summary.bytesSent))
        if summary.retransmits > 0 { metrics.retransmits.increment(by: Int64(summary.retransmits)) }
        metrics.duration.record(summary.duration)
        // Built only when the line is written: at a boot storm's rate the formatting shows up.
        func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
            [
                "client": "\(summary.clientIP):\(summary.client.port ?? 0)", "file": "\(summary.file)",
                "size": "\(summary.fileBytes)", "bytes": "\(summary.bytesDelivered)", "sent_bytes": "\(summary.bytesSent)",
                "duration_ms": "\(summary.duration.milliseconds)", "blksize": "\(summary.blockSize)",
                "windowsize": "\(summary.windowSize)", "retransmits": "\(summary.retransmits)",
            ].merging(extra) { _, new in new }
        }
        switch summary.outcome {
        case .completed:
            metrics.completed.increment()
            logger.info("transfer finished", metadata: metadata(["outcome": "completed"]))
            events.record(.init(
                involved: InvolvedObject(kind: "TFTPClient", name: summary.clientIP), type: .normal, reason: "BootFileFetched",
                message: "fetched \(summary.file) (\(summary.fileBytes) bytes) over TFTP"))
        case .abortedByClient(let code, let message):
            metrics.aborted.increment()
            logger.info(
                "transfer aborted by client", metadata: metadata(["outcome": "aborted", "client_error": "\(code.rawValue) \(message)"]))
        case .failed(let failure):
            metrics.failed.increment()
            logger.warning("transfer failed", metadata: metadata(["outcome": "failed", "reason": "\(failure)"]))
            events.record(.init(
                involved: InvolvedObject(kind: "TFTPClient", name: summary.clientIP), type: .warning, reason: "BootFileFailed",
                message: "TFTP transfer of \(summary.file) failed: \(failure.explanation)"))
        }
    }
}

/// What is left of a transfer once it ended, for the log, metrics and events.
struct TFTPTransferSummary: Sendable {
    let client: SocketAddress
    let clientIP: String
    let file: String
    /// The file's size (after netascii conversion).
    let fileBytes: Int
    /// Payload bytes the client acknowledged.
    let bytesDelivered: Int
    /// Datagram bytes sent, retransmissions included.
    let bytesSent: Int
    let duration: Duration
    let blockSize: Int
    let windowSize: Int
    let retransmits: Int
    let outcome: TFTPTransferOutcome
}

extension TFTPTransferFailure {
    var explanation: String {
        switch self {
        case .clientStoppedAcknowledging: "the client stopped acknowledging"
        case .sourceUnreadable: "the file could not be read"
        case .cancelled: "the server stopped it"
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
