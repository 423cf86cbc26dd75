#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `anvil up`'s checks of the network it is asked to serve (README "Deploy on a provisioning network").
enum UpNetwork {
    static func isWildcard(_ address: String) -> Bool {
        ["0.0.0.0", "::", "[::]", ""].contains(address)
    }

    /// Binds and releases a UDP socket on `address`:`port`, so a port that needs privileges or is
    /// taken is one clear error before any daemon starts.
    static func checkUDPPort(_ port: Int, address: String) throws {
        var ipv4 = sockaddr_in()
        ipv4.sin_family = sa_family_t(AF_INET)
        ipv4.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, isWildcard(address) ? "0.0.0.0" : address, &ipv4.sin_addr) == 1 else { return }  // IPv6: tftpd reports it
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let result = withUnsafePointer(to: &ipv4) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result != 0 else { return }
        switch errno {
        case EACCES:
            throw CLIError("--tftp-port \(port) on \(address) needs privileges: run anvil up as root, or `setcap cap_net_bind_service=+ep` on tftpd, or use a port above 1023 (PXE firmware asks port 69)")
        case EADDRINUSE:
            throw CLIError("--tftp-port \(port) on \(address) is in use by another process (another TFTP server, or another anvil up?)")
        case EADDRNOTAVAIL:
            throw CLIError("--listen \(address): no interface on this machine has that address")
        default:
            throw CLIError("--tftp-port \(port) on \(address): \(String(cString: strerror(errno)))")
        }
    }
}
