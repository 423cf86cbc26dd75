/// The iPXE scripts bootd serves. Pure text rendering; callers supply every value.
public enum IPXEScript {
    /// `/boot.ipxe`: try each NIC in turn (open, link wait, DHCP), chain to `/ipxe` with the
    /// machine's identity, retry the whole round ten times, then reboot (Sidero's BootTemplate
    /// behaviour). A failed link wait only warns: iPXE builds before 2019 lack `iflinkwait`
    /// (Debian 12's among them) and `dhcp` waits for the link itself.
    public static func boot(endpoint: String, port: Int) -> String {
        let host = endpoint.contains(":") && !endpoint.hasPrefix("[") ? "[\(endpoint)]" : endpoint
        return """
        #!ipxe
        prompt --key 0x02 --timeout 2000 Press Ctrl-B for the iPXE command line... && shell ||
        ifstat
        set attempts:int32 10
        set x:int32 0
        :retry_loop
        set idx:int32 0
        :loop
        isset ${net${idx}/mac} || goto exhausted
        ifclose
        ifopen net${idx} || goto next_iface
        iflinkwait --timeout 5000 net${idx} || echo net${idx}: no link yet (or this iPXE has no iflinkwait)
        dhcp net${idx} || goto next_iface
        goto boot
        :next_iface
        inc idx && goto loop
        :boot
        route
        chain --replace http://\(host):\(port)/ipxe?uuid=${uuid}&mac=${net${idx}/mac:hexhyp}&domain=${domain}&hostname=${hostname}&serial=${serial}&arch=${buildarch} || goto next_iface
        :exhausted
        echo
        echo Failed to iPXE boot successfully via all interfaces
        iseq ${x} ${attempts} && goto fail ||
        echo Retrying...
        echo
        inc x
        goto retry_loop
        :fail
        echo
        echo Failed to get a valid response after ${attempts} attempts
        echo
        echo Rebooting in 5 seconds...
        sleep 5
        reboot

        """
    }

    /// Boots an environment's kernel and initrd from this same HTTP host (relative paths).
    public static func environment(name: String, arguments: [String]) -> String {
        let args = arguments.isEmpty ? "" : " " + arguments.joined(separator: " ")
        return "#!ipxe\nkernel /env/\(name)/vmlinuz\(args)\ninitrd /env/\(name)/initramfs.xz\nboot\n"
    }

    /// Hands over to the installed OS: leave iPXE so the firmware tries the next boot device.
    public static let exit = "#!ipxe\nexit\n"

    /// Hands over to the installed OS by booting the first disk from iPXE.
    public static let sanboot = "#!ipxe\nsanboot --no-describe --drive 0x80\n"
}
