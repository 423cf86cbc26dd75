#if os(Linux)
import Glibc

/// A UDP socket on port 68 tied to one interface, for a client that has no address yet: Linux
/// sends to 255.255.255.255 from 0.0.0.0 through the bound device, and delivers the server's
/// broadcast replies to it. Not thread-safe: one exchange owns it.
final class DHCPSocket {
    private let descriptor: Int32
    let interface: String

    /// Opens the socket with SO_BROADCAST and SO_BINDTODEVICE set, bound to 0.0.0.0:68.
    init(interface: String) throws(NetworkSetupError) {
        self.interface = interface
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno, detail: "the DHCP socket on \(interface)") }
        descriptor = fd
        do throws(NetworkSetupError) {
            try setOption(SO_REUSEADDR, 1, "SO_REUSEADDR")
            try setOption(SO_BROADCAST, 1, "SO_BROADCAST")
            var name = Array(interface.utf8CString)
            guard setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, &name, socklen_t(name.count)) == 0 else {
                throw NetworkSetupError.system(call: "setsockopt(SO_BINDTODEVICE)", errno: errno, detail: interface)
            }
            var address = Self.socketAddress(IPv4Octets.any, port: 68)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw NetworkSetupError.system(call: "bind(0.0.0.0:68)", errno: errno, detail: interface) }
        } catch {
            // No close here: a class init that throws once every property is set still runs
            // deinit, which closes the descriptor; a second close could hit a number another
            // thread has just been given.
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// Broadcasts `bytes` to 255.255.255.255:67.
    func broadcast(_ bytes: [UInt8]) throws(NetworkSetupError) {
        var address = Self.socketAddress(IPv4Octets.broadcast, port: 67)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw .system(call: "sendto(255.255.255.255:67)", errno: errno, detail: interface) }
    }

    /// Waits up to `timeout` for one datagram; nil when none came.
    func receive(timeout: Duration) throws(NetworkSetupError) -> [UInt8]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return nil }
            throw .system(call: "poll", errno: errno, detail: "the DHCP socket on \(interface)")
        }
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return nil }
            throw .system(call: "recv", errno: errno, detail: "the DHCP socket on \(interface)")
        }
        return Array(buffer.prefix(count))
    }

    private func setOption(_ option: Int32, _ value: Int32, _ name: String) throws(NetworkSetupError) {
        var value = value
        guard setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .system(call: "setsockopt(\(name))", errno: errno, detail: interface)
        }
    }

    private static func socketAddress(_ address: UInt32, port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr = in_addr(s_addr: address.bigEndian)
        return result
    }
}

/// Host-order values of the two addresses the socket uses.
private enum IPv4Octets {
    static let any: UInt32 = 0
    static let broadcast: UInt32 = 0xFFFF_FFFF
}
#endif
