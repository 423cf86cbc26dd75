#if os(Linux)
import Glibc
#endif

/// Why the agent could not bring networking up, in words for the serial console.
public enum NetworkSetupError: Error, Sendable, CustomStringConvertible {
    /// A system call failed.
    case system(call: String, errno: Int32, detail: String)
    /// The kernel refused a netlink request.
    case netlink(request: String, errno: Int32)
    /// No interface named or with that MAC exists.
    case noSuchInterface(String)
    /// No Ethernet interface got a carrier in time.
    case noLink(waited: Duration, interfaces: [String])
    /// No interface got a lease.
    case noLease(String)
    /// The command line of `anvil-agent dhcp` is wrong.
    case usage(String)

    public var description: String {
        switch self {
        case .system(let call, let code, let detail):
            "\(call) failed for \(detail): \(Self.errorText(code)) (errno \(code))"
        case .netlink(let request, let code):
            "the kernel refused to \(request): \(Self.errorText(code)) (errno \(code))"
        case .noSuchInterface(let name):
            "no network interface \(name)"
        case .noLink(let waited, let interfaces):
            interfaces.isEmpty
                ? "no Ethernet interface found within \(waited)"
                : "no link (carrier) on \(interfaces.joined(separator: ", ")) within \(waited)"
        case .noLease(let detail):
            "no DHCP lease: \(detail)"
        case .usage(let text):
            text
        }
    }

    static func errorText(_ code: Int32) -> String {
        #if os(Linux)
        String(cString: strerror(code))
        #else
        "error \(code)"
        #endif
    }
}
