import NIOCore
import NIOPosix
import Synchronization

/// Hosts many simulated BMCs in one process: one UDP channel per BMC on a loopback address, all on
/// one event loop group (docs/simulator.md "BMC"). Only loopback addresses are accepted, so the
/// simulator never answers on a real network.
public final class SimulatedBMCServer: Sendable {
    public let host: String
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let channels = Mutex<[any Channel]>([])

    /// `group` nil creates one with a thread per core, shut down by `stop()`.
    public init(host: String = "127.0.0.1", group: (any EventLoopGroup)? = nil) throws(SimulatedBMCServerError) {
        guard host.hasPrefix("127.") else { throw .notLoopback(host) }
        self.host = host
        if let group {
            self.group = group
            ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
            ownsGroup = true
        }
    }

    /// Binds one BMC on `port` (0 picks a free one) and returns the port bound.
    @discardableResult
    public func add(_ bmc: SimulatedBMC, port: Int = 0) async throws -> Int {
        try await add([(bmc, port)])[0]
    }

    /// Binds every BMC on its port (0 picks a free one), all binds in flight at once, and returns
    /// the bound ports in the same order. If any bind fails, those that succeeded are closed.
    public func add(_ bmcs: [(bmc: SimulatedBMC, port: Int)]) async throws -> [Int] {
        let address = host.split(separator: ".").compactMap { UInt8($0) }
        let futures = bmcs.map { bmc, port in
            DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(BMCChannelHandler(bmc: bmc))
                    }
                }
                .bind(host: host, port: port)
        }
        var bound: [any Channel] = []
        var failure: (any Error)?
        for future in futures {
            do { bound.append(try await future.get()) } catch { failure = failure ?? error }
        }
        if let failure {
            for channel in bound { try? await channel.close() }
            throw failure
        }
        var ports: [Int] = []
        for (channel, entry) in zip(bound, bmcs) {
            let port = channel.localAddress?.port ?? entry.port
            entry.bmc.bound(address: address.count == 4 ? address : [127, 0, 0, 1], port: port)
            ports.append(port)
        }
        channels.withLock { $0 += bound }
        return ports
    }

    /// How many BMCs are bound.
    public var count: Int { channels.withLock { $0.count } }

    /// Closes every channel and, when the server made its own group, shuts the group down.
    public func stop() async {
        let all = channels.withLock { channels in
            defer { channels.removeAll() }
            return channels
        }
        for channel in all { try? await channel.close() }
        if ownsGroup { try? await group.shutdownGracefully() }
    }
}

public enum SimulatedBMCServerError: Error, Equatable, CustomStringConvertible {
    case notLoopback(String)

    public var description: String {
        switch self {
        case .notLoopback(let host): "simulated BMCs bind loopback addresses only (127.0.0.0/8), not \(host)"
        }
    }
}
