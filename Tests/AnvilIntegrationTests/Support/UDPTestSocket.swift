import AnvilSpawn
import Foundation

/// A plain blocking UDP socket on 127.0.0.1 for hand-made TFTP packets. Its receives wait on a
/// thread of their own (`OwnThread`), never on the cooperative pool.
final class UDPTestSocket: Sendable {
    let fd: Int32

    init(receiveTimeout: Duration = .seconds(3)) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind: \(errno)") }
        setReceiveTimeout(receiveTimeout)
    }

    deinit { close(fd) }

    func setReceiveTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ bytes: [UInt8], to port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram and the port it came from, or nil on timeout.
    func receive() async -> (bytes: [UInt8], port: Int)? {
        await OwnThread.run { self.receiveBlocking() }
    }

    /// `receive` on the calling thread, for code already on a thread of its own.
    func receiveBlocking() -> (bytes: [UInt8], port: Int)? {
        var buffer = [UInt8](repeating: 0, count: 70_000)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer.prefix(count)), Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Everything that arrives until `quiet` passes with nothing.
    func drain(quiet: Duration) async -> [(bytes: [UInt8], port: Int)] {
        await OwnThread.run {
            self.setReceiveTimeout(quiet)
            var packets: [(bytes: [UInt8], port: Int)] = []
            while let packet = self.receiveBlocking() { packets.append(packet) }
            return packets
        }
    }

    static func readRequest(_ filename: [UInt8], mode: String = "octet", options: [(String, String)] = []) -> [UInt8] {
        var bytes: [UInt8] = [0, 1] + filename + [0] + Array(mode.utf8) + [0]
        for (name, value) in options { bytes += Array(name.utf8) + [0] + Array(value.utf8) + [0] }
        return bytes
    }

    static func acknowledgement(_ block: UInt16) -> [UInt8] { [0, 4, UInt8(block >> 8), UInt8(block & 0xFF)] }

    static func opcode(_ packet: [UInt8]) -> UInt16? { packet.count >= 2 ? UInt16(packet[0]) << 8 | UInt16(packet[1]) : nil }

    /// The block of a DATA/ACK or the code of an ERROR.
    static func secondField(_ packet: [UInt8]) -> UInt16? { packet.count >= 4 ? UInt16(packet[2]) << 8 | UInt16(packet[3]) : nil }
}

extension UDPTestSocket {
    /// A UDP port nothing listens on right now.
    static func freeUDPPort() throws -> Int {
        try freeLoopbackPort(type: Int32(SOCK_DGRAM.rawValue))
    }
}
