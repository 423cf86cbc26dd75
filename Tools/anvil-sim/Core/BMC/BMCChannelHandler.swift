import NIOCore

/// Feeds one BMC's UDP channel into its `SimulatedBMC`. A slow BMC's answer is scheduled on the
/// channel's event loop, never slept on, so one slow BMC holds up none of the others on its loop.
final class BMCChannelHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let bmc: SimulatedBMC

    init(bmc: SimulatedBMC) { self.bmc = bmc }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let (answer, delay) = bmc.handle(Array(envelope.data.readableBytesView)) else { return }
        let channel = context.channel
        let reply = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: channel.allocator.buffer(bytes: answer))
        guard delay > .zero else {
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            return
        }
        let (seconds, attoseconds) = delay.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            channel.writeAndFlush(reply, promise: nil)
        }
    }
}
