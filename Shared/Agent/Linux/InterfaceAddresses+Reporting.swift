extension InterfaceAddresses {
    /// The address without its prefix if it is global unicast (not loopback, link-local or
    /// unspecified), which is what Sidero reported as `InternalIP`.
    static func reportable(_ cidr: String) -> String? {
        let address = cidr.split(separator: "/").first.map(String.init) ?? cidr
        let lower = address.lowercased()
        if address.hasPrefix("127.") || address.hasPrefix("169.254.") || address == "0.0.0.0" { return nil }
        if lower == "::1" || lower == "::" || lower.hasPrefix("fe80:") { return nil }
        return address
    }
}
