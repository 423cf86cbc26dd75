#if os(Linux)
import Glibc

/// A NETLINK_ROUTE socket that sends one request at a time and waits for the kernel's ack.
/// The kernel answers at once, so the brief blocking is fine on any thread.
final class RouteNetlinkSocket {
    private let descriptor: Int32
    private var sequence: UInt32 = 1

    init() throws(NetworkSetupError) {
        // NETLINK_ROUTE is 0. Unbound: the first send binds it, and requests go to the kernel.
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket(AF_NETLINK)", errno: errno, detail: "route requests") }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// The next sequence number, for building the request passed to `perform`.
    func nextSequence() -> UInt32 {
        sequence &+= 1
        return sequence
    }

    /// Sends `message` and throws the kernel's error, if any; `what` names the request for it.
    func perform(_ message: RouteNetlinkMessage, sequence: UInt32, what: String) throws(NetworkSetupError) {
        let sent = message.bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == message.bytes.count else { throw .system(call: "send(netlink)", errno: errno, detail: what) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        // A few replies at most: an ack for another sequence (none expected) is skipped.
        for _ in 0..<8 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 5000)
            guard ready > 0 else { throw .system(call: "netlink reply", errno: ready == 0 ? ETIMEDOUT : errno, detail: what) }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw .system(call: "recv(netlink)", errno: errno, detail: what) }
            if let code = RouteNetlinkMessage.acknowledgement(in: Array(buffer.prefix(count)), sequence: sequence) {
                guard code == 0 else { throw .netlink(request: what, errno: code) }
                return
            }
        }
        throw .system(call: "netlink reply", errno: EPROTO, detail: what)
    }
}
#endif
