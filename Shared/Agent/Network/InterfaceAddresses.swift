#if os(Linux)
import Glibc

/// The addresses an interface has now (getifaddrs), for reporting to the server.
public enum InterfaceAddresses {
    /// IPv4 then IPv6 addresses of `interface` as CIDR strings, "10.77.0.100/24", "fe80::1/64".
    public static func cidrs(of interface: String) -> [String] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var v4: [String] = []
        var v6: [String] = []
        var cursor = first
        while let entry = cursor?.pointee {
            cursor = entry.ifa_next
            guard let name = entry.ifa_name, String(cString: name) == interface, let address = entry.ifa_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let text = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { presentation(family: AF_INET, of: $0.pointee.sin_addr) }
                let prefix = entry.ifa_netmask.map { mask in
                    mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr).nonzeroBitCount }
                } ?? 32
                if let text { v4.append("\(text)/\(prefix)") }
            case AF_INET6:
                let text = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { presentation(family: AF_INET6, of: $0.pointee.sin6_addr) }
                let prefix = entry.ifa_netmask.map { mask in
                    mask.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
                    }
                } ?? 128
                if let text { v6.append("\(text)/\(prefix)") }
            default:
                continue
            }
        }
        return v4 + v6
    }

    /// inet_ntop of an in_addr or in6_addr.
    private static func presentation<Address>(family: Int32, of address: Address) -> String? {
        var address = address
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = withUnsafePointer(to: &address) { inet_ntop(family, $0, &buffer, socklen_t(buffer.count)) }
        guard result != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
#endif
