import AnvilTFTP
import NIOCore

/// Where a transfer's datagrams go: its own connected socket (sent directly, see
/// ``TFTPConnectedSocket``), or (single-port mode) the listening socket, addressed to the client,
/// through the handler's context and flushed once per read cycle.
enum TFTPTransferOutput {
    case connected(ChannelHandlerContext, TFTPConnectedSocket)
    case shared(ChannelHandlerContext)

    var context: ChannelHandlerContext {
        switch self {
        case .connected(let context, _), .shared(let context): context
        }
    }
}

/// Runs one ``TFTPReadTransfer`` on an event loop: feeds it packets and timer expiries, sends what
/// it asks for and reports the end. Confined to its event loop, like the channel it writes to.
final class TFTPTransferDriver {
    let client: SocketAddress
    let clientIP: String
    let file: String
    let fileBytes: Int
    private var machine: TFTPReadTransfer
    private let data: TFTPDataSource
    private let output: TFTPTransferOutput
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
        transfer: TFTPReadTransfer, data: TFTPDataSource, client: SocketAddress, clientIP: String, file: String, fileBytes: Int,
        output: TFTPTransferOutput, context: TFTPServerContext, onEnd: @escaping (TFTPTransferDriver) -> Void
    ) {
        self.machine = transfer
        self.data = data
        self.client = client
        self.clientIP = clientIP
        self.file = file
        self.fileBytes = fileBytes
        self.output = output
        self.context = context
        self.startedAt = TFTPServerContext.now()
        self.onEnd = onEnd
    }

    /// `flush: false` when called while the channel is delivering reads: the handler flushes once
    /// in `channelReadComplete`, so packets for many transfers leave in one `sendmmsg`.
    func start(flush: Bool) {
        perform(machine.start(now: TFTPServerContext.now()), flush: flush)
    }

    /// A datagram from the client's own TID, delivered by a read. Direct sends need no flush; in
    /// single-port mode the listener flushes once in `channelReadComplete`.
    func received(_ datagram: ByteBuffer) {
        guard !ended, let packet = Self.decode(datagram) else { return }
        perform(machine.received(packet, now: TFTPServerContext.now()), flush: false)
    }

    /// Ends the transfer now (server shutting down or the channel went away).
    func cancel() {
        guard !ended else { return }
        end(.failed(.cancelled))
    }

    private func perform(_ actions: TFTPTransferActions, flush: Bool) {
        var wrote = false
        if let packet = actions.packet {
            write(Self.encode(packet, allocator: output.context.channel.allocator))
            wrote = true
        }
        if let blocks = actions.blocks {
            do {
                try send(blocks)
            } catch {
                context.logger.error("cannot read boot file", metadata: ["file": "\(file)", "error": "\(error)"])
                perform(machine.sourceFailed(), flush: true)
                return
            }
            wrote = true
        }
        if let deadline = actions.deadline { arm(deadline) }
        if let outcome = actions.outcome {
            if wrote { flushOutput() }
            end(outcome)
            return
        }
        if wrote && flush { flushOutput() }
    }

    /// Sends DATA for `blocks`. From packetized content a window of several blocks goes as UDP GSO
    /// writes (the kernel cuts each into one datagram per block; only the last may be shorter),
    /// one trip through the stack instead of one per block.
    private func send(_ blocks: ClosedRange<Int>) throws {
        switch data {
        case .packetized(let packets):
            guard blocks.count > 1, context.segmentationOffload.isEnabled else {
                for index in blocks { write(packets.datagrams(index...index)) }
                return
            }
            let perWrite = max(1, min(TFTPSegmentationOffload.maximumSegments, TFTPSegmentationOffload.maximumBytes / packets.stride))
            var first = blocks.lowerBound
            while first <= blocks.upperBound {
                let last = min(first + perWrite - 1, blocks.upperBound)
                if first == last {
                    write(packets.datagrams(first...last))
                } else {
                    writeSegmented(packets.datagrams(first...last), segmentSize: packets.stride)
                }
                first = last + 1
            }
        case .blocks(let source):
            for index in blocks {
                write(try TFTPDataSource.datagram(machine.block(index), of: source, allocator: output.context.channel.allocator))
            }
        }
    }

    private func write(_ datagram: ByteBuffer) {
        switch output {
        case .connected(_, let socket): socket.send(datagram)
        case .shared(let context): context.write(NIOAny(AddressedEnvelope(remoteAddress: client, data: datagram)), promise: nil)
        }
    }

    private func writeSegmented(_ datagrams: ByteBuffer, segmentSize: Int) {
        switch output {
        case .connected(_, let socket):
            guard socket.sendSegmented(datagrams, segmentSize: segmentSize) else {
                context.segmentationOffloadFailed("the kernel refused a UDP_SEGMENT send")
                var rest = datagrams
                while rest.readableBytes > 0, let one = rest.readSlice(length: min(segmentSize, rest.readableBytes)) { socket.send(one) }
                return
            }
        case .shared(let context):
            let metadata = AddressedEnvelope<ByteBuffer>.Metadata(ecnState: .transportNotCapable, packetInfo: nil, segmentSize: segmentSize)
            let promise = context.eventLoop.makePromise(of: Void.self)
            let server = self.context
            promise.futureResult.whenFailure { error in server.segmentationOffloadFailed("\(error)") }
            context.write(NIOAny(AddressedEnvelope(remoteAddress: client, data: datagrams, metadata: metadata)), promise: promise)
        }
    }

    /// Direct sends are already out; the shared socket's writes leave now.
    private func flushOutput() {
        if case .shared(let context) = output { context.flush() }
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
        timer = output.context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(nanoseconds)) {
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
        allocator.buffer(bytes: packet.encode())
    }
}

extension Duration {
    var nanosecondsSinceOrigin: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
