#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A transfer's own UDP socket, bound to a new port on the address the request came to and
/// connected to the client. NIO owns it once registered (it polls it, reads it and closes it);
/// DATA leaves straight through `send`, without NIO's pending-write queue and flush, which took
/// about 13 % of tftpd's CPU time at a boot storm's rate. Only a live channel's socket is written.
struct TFTPConnectedSocket {
    let descriptor: Int32

    /// `SOL_UDP` / `UDP_SEGMENT` (linux/udp.h): the GSO segment size of one send.
    private static let levelUDP: Int32 = 17
    private static let optionSegment: Int32 = 103

    /// A new socket on `local` (port 0 picks one) connected to `client`. SO_REUSEADDR is set only
    /// after the bind: set before, the kernel could pick a port other transfers' sockets already
    /// share; set now, it lets the guard socket join this port.
    static func open(local: SocketAddress, client: SocketAddress, sendBuffer: Int) throws -> TFTPConnectedSocket {
        let family: Int32 = client.protocol == .inet6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            var size = Int32(sendBuffer)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            try check(local.withSockAddr { bind(descriptor, $0, socklen_t($1)) }, "bind")
            var on: Int32 = 1
            try check(setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)), "setsockopt(SO_REUSEADDR)")
            try check(client.withSockAddr { connect(descriptor, $0, socklen_t($1)) }, "connect")
        } catch {
            close(descriptor)
            throw error
        }
        return TFTPConnectedSocket(descriptor: descriptor)
    }

    /// The address and port the kernel bound (getsockname).
    var localAddress: SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in.self)) }
        case AF_INET6:
            return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in6.self)) }
        default:
            return nil
        }
    }

    private static func check(_ result: Int32, _ call: String) throws {
        if result != 0 { throw IOError(errnoCode: errno, reason: call) }
    }

    /// One datagram. A full buffer or an ICMP error from an earlier send loses this one datagram;
    /// the transfer's retransmission covers it, as for any lost datagram, so the result is not needed.
    func send(_ datagram: ByteBuffer) {
        _ = datagram.withUnsafeReadableBytes { bytes in
            Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
        }
    }

    /// Back-to-back datagrams of `segmentSize` bytes (the last may be shorter) in one UDP GSO send.
    /// False when the kernel refused it (no GSO here): the caller sends them one by one.
    func sendSegmented(_ datagrams: ByteBuffer, segmentSize: Int) -> Bool {
        datagrams.withUnsafeReadableBytes { bytes in
            // cmsghdr (16 bytes) + UInt16, padded to 8: CMSG_SPACE(2) == 24.
            withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { control in
                control.initializeMemory(as: UInt8.self, repeating: 0)
                let header = control.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                header.pointee.cmsg_len = 18
                header.pointee.cmsg_level = Self.levelUDP
                header.pointee.cmsg_type = Self.optionSegment
                control.storeBytes(of: UInt16(segmentSize), toByteOffset: 16, as: UInt16.self)
                var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vector in
                    var message = msghdr()
                    message.msg_iov = vector
                    message.msg_iovlen = 1
                    message.msg_control = control.baseAddress
                    message.msg_controllen = 24
                    return sendmsg(descriptor, &message, Int32(MSG_DONTWAIT)) >= 0 || errno == EAGAIN || errno == ENOBUFS || errno == ECONNREFUSED
                }
            }
        }
    }
}
