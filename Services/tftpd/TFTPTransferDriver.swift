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

    /// `flush: false` when called while the channel is delivering reads: the handler flushes once
    /// in `channelReadComplete`, so packets for many transfers leave in one `sendmmsg`.
    func start(flush: Bool) {
        perform(machine.start(now: TFTPServerContext.now()), flush: flush)
    }

    /// A datagram from the client's own TID, delivered by a read: the caller flushes in
    /// `channelReadComplete`.
    func received(_ datagram: ByteBuffer) {
        guard !ended, let packet = Self.decode(datagram) else { return }
        perform(machine.received(packet, now: TFTPServerContext.now()), flush: false)
    }

    /// Ends the transfer now (server shutting down or the channel went away).
    func cancel() {
        guard !ended else { return }
        end(.failed(.cancelled))
    }

    private func perform(_ actions: [TFTPTransferAction], flush: Bool) {
        var wrote = false
        var window: [(block: UInt16, payload: [UInt8])] = []
        for action in actions {
            switch action {
            case .send(.data(let block, let payload)) where context.segmentationOffload.isEnabled:
                window.append((block, payload))
            case .send(let packet):
                writeWindow(&window)
                channel.write(AddressedEnvelope(remoteAddress: client, data: Self.encode(packet, allocator: channel.allocator)), promise: nil)
                wrote = true
            case .armTimer(let deadline):
                arm(deadline)
            case .finish(let outcome):
                wrote = writeWindow(&window) || wrote
                if wrote { channel.flush(); wrote = false }
                end(outcome)
            }
        }
        wrote = writeWindow(&window) || wrote
        if wrote && flush { channel.flush() }
    }

    /// Writes a window of DATA blocks. Several full blocks go as one UDP GSO write (the kernel cuts
    /// it into one datagram per block; only the last may be shorter), which costs one trip through
    /// the stack instead of one per block. Returns whether anything was written.
    @discardableResult
    private func writeWindow(_ window: inout [(block: UInt16, payload: [UInt8])]) -> Bool {
        guard !window.isEmpty else { return false }
        defer { window.removeAll(keepingCapacity: true) }
        let segment = 4 + machine.settings.blockSize
        let perWrite = max(1, min(TFTPSegmentationOffload.maximumSegments, TFTPSegmentationOffload.maximumBytes / segment))
        var start = 0
        while start < window.count {
            let end = min(start + perWrite, window.count)
            if end - start == 1 {
                let (block, payload) = window[start]
                channel.write(AddressedEnvelope(remoteAddress: client, data: Self.encode(.data(block: block, payload: payload), allocator: channel.allocator)), promise: nil)
            } else {
                var buffer = channel.allocator.buffer(capacity: (end - start) * segment)
                for (block, payload) in window[start..<end] { Self.writeData(block: block, payload: payload, into: &buffer) }
                let metadata = AddressedEnvelope<ByteBuffer>.Metadata(ecnState: .transportNotCapable, packetInfo: nil, segmentSize: segment)
                let offload = context.segmentationOffload
                let logger = context.logger
                let promise = channel.eventLoop.makePromise(of: Void.self)
                promise.futureResult.whenFailure { error in
                    // Some devices refuse GSO: fall back to a datagram per block for good; the
                    // retransmission timer resends what was lost.
                    if offload.disable() {
                        logger.warning("UDP segmentation offload failed; sending one datagram per block from now on", metadata: ["error": "\(error)"])
                    }
                }
                channel.write(AddressedEnvelope(remoteAddress: client, data: buffer, metadata: metadata), promise: promise)
            }
            start = end
        }
        return true
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
        timer = channel.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(nanoseconds)) {
            // A strong capture: a weak one would give the driver a side table and slow every
            // retain. The cycle ends when the task runs or ``end(_:)`` cancels it.
            self.timerExpired()
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
        perform(machine.timerFired(now: now), flush: true)
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
            writeData(block: block, payload: payload, into: &buffer)
            return buffer
        }
        return allocator.buffer(bytes: packet.encode())
    }

    /// DATA straight into a send buffer, without the intermediate array `TFTPPacket.encode()` makes.
    static func writeData(block: UInt16, payload: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeInteger(TFTPOpcode.data.rawValue)
        buffer.writeInteger(block)
        buffer.writeBytes(payload)
    }
}

extension Duration {
    var nanosecondsSinceOrigin: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
