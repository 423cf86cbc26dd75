#if canImport(Glibc)
import Glibc
#endif

/// The addresses interfaces hold now (getifaddrs), as CIDR strings per interface name.
enum InterfaceAddresses {
    static func current() -> [String: [String]] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0, let first else { return [:] }
        defer { freeifaddrs(first) }
        var result: [String: [String]] = [:]
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, let name = entry.pointee.ifa_name else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            var text = String(cString: host)
            if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
            let prefix = entry.pointee.ifa_netmask.map { prefixLength($0, family: family) } ?? (family == AF_INET ? 32 : 128)
            result[String(cString: name), default: []].append("\(text)/\(prefix)")
        }
        return result
    }

    /// The address without its prefix if it is global unicast (not loopback, link-local or
    /// unspecified), which is what Sidero reported as `InternalIP`.
    static func reportable(_ cidr: String) -> String? {
        let address = cidr.split(separator: "/").first.map(String.init) ?? cidr
        let lower = address.lowercased()
        if address.hasPrefix("127.") || address.hasPrefix("169.254.") || address == "0.0.0.0" { return nil }
        if lower == "::1" || lower == "::" || lower.hasPrefix("fe80:") { return nil }
        return address
    }

    private static func prefixLength(_ mask: UnsafeMutablePointer<sockaddr>, family: Int32) -> Int {
        let bytes: [UInt8]
        if family == AF_INET {
            bytes = mask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) } }
        } else {
            bytes = mask.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) } }
        }
        return bytes.reduce(0) { $0 + $1.nonzeroBitCount }
    }
}
