import AnvilTFTP
import NIOCore

/// Runs one ``TFTPReadTransfer`` on an event loop: feeds it packets and timer expiries, sends what
/// it asks for and reports the end. Confined to its event loop, like the channel it writes to.
final class TFTPTransferDriver {
    let client: SocketAddress
    let clientIP: String
    let file: String
    let fileBytes: Int
    private var machine: TFTPReadTransfer
    private let channel: any Channel
    private let context: TFTPServerContext
    private let startedAt: Duration
    private let onEnd: (TFTPTransferDriver) -> Void

    /// The one scheduled wake-up and when it fires; it may fire before the deadline the machine
    /// wants now (deadlines move later as ACKs arrive), then it is simply re-armed.
    private var timer: Scheduled<Void>?
    private var timerFiresAt: Duration?
    private var wantedDeadline: Duration?
    private(set) var ended = false

    init(
        transfer: TFTPReadTransfer, client: SocketAddress, clientIP: String, file: String, fileBytes: Int,
        channel: any Channel, context: TFTPServerContext, onEnd: @escaping (TFTPTransferDriver) -> Void
    ) {
        self.machine = transfer
        self.client = client
        self.clientIP = clientIP
        self.file = file
        self.fileBytes = fileBytes
        self.channel = channel
        self.context = context
        self.startedAt = TFTPServerContext.now()
        self.onEnd = onEnd
    }

    func start() {
        perform(machine.start(now: TFTPServerContext.now()))
    }

    /// A datagram from the client's own TID.
    func received(_ datagram: ByteBuffer) {
        guard !ended, let packet = Self.decode(datagram) else { return }
        perform(machine.received(packet, now: TFTPServerContext.now()))
    }

    /// Ends the transfer now (server shutting down or the channel went away).
    func cancel() {
        guard !ended else { return }
        end(.failed(.cancelled))
    }

    private func perform(_ actions: [TFTPTransferAction]) {
        var wrote = false
        for action in actions {
            switch action {
            case .send(let packet):
                channel.write(AddressedEnvelope(remoteAddress: client, data: Self.encode(packet, allocator: channel.allocator)), promise: nil)
                wrote = true
            case .armTimer(let deadline):
                arm(deadline)
            case .finish(let outcome):
                if wrote { channel.flush(); wrote = false }
                end(outcome)
            }
        }
        if wrote { channel.flush() }
    }

    private func arm(_ deadline: Duration) {
        wantedDeadline = deadline
        if let firesAt = timerFiresAt, firesAt <= deadline { return }
        timer?.cancel()
        schedule(at: deadline)
    }

    private func schedule(at deadline: Duration) {
        timerFiresAt = deadline
        let nanoseconds = UInt64(max(deadline.nanosecondsSinceOrigin, 0))
        timer = channel.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(nanoseconds)) { [weak self] in
            self?.timerExpired()
        }
    }

    private func timerExpired() {
        timer = nil
        timerFiresAt = nil
        guard !ended, let wanted = wantedDeadline else { return }
        let now = TFTPServerContext.now()
        if now < wanted {
            schedule(at: wanted)
            return
        }
        perform(machine.timerFired(now: now))
    }

    private func end(_ outcome: TFTPTransferOutcome) {
        guard !ended else { return }
        ended = true
        timer?.cancel()
        timer = nil
        wantedDeadline = nil
        context.finished(TFTPTransferSummary(
            client: client, clientIP: clientIP, file: file, fileBytes: fileBytes, bytesDelivered: machine.bytesAcknowledged, bytesSent: machine.bytesSent,
            duration: TFTPServerContext.now() - startedAt, blockSize: machine.settings.blockSize,
            windowSize: machine.settings.windowSize, retransmits: machine.retransmittedPackets, outcome: outcome))
        onEnd(self)
    }

    /// ACKs are nearly every packet a transfer receives: decode them without the general parser.
    static func decode(_ datagram: ByteBuffer) -> TFTPPacket? {
        if datagram.readableBytes == 4,
           let opcode = datagram.getInteger(at: datagram.readerIndex, as: UInt16.self),
           opcode == TFTPOpcode.acknowledgement.rawValue,
           let block = datagram.getInteger(at: datagram.readerIndex + 2, as: UInt16.self) {
            return .acknowledgement(block: block)
        }
        return try? TFTPPacket.decode(Array(datagram.readableBytesView))
    }

    static func encode(_ packet: TFTPPacket, allocator: ByteBufferAllocator) -> ByteBuffer {
        if case .data(let block, let payload) = packet {
            var buffer = allocator.buffer(capacity: 4 + payload.count)
            buffer.writeInteger(TFTPOpcode.data.rawValue)
            buffer.writeInteger(block)
            buffer.writeBytes(payload)
            return buffer
        }
        return allocator.buffer(bytes: packet.encode())
    }
}

extension Duration {
    var nanosecondsSinceOrigin: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
