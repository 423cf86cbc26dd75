import Foundation
import Testing

/// Real firmware downloading from tftpd, in QEMU under TCG (KVM does not work on CI machines):
/// iPXE's TFTP client over QEMU user networking, and OVMF's native UEFI PXE client fetching
/// ipxe.efi from port 69 after real DHCP inside a network namespace. Each boot takes 10–30 s.
@Suite struct TFTPFirmwareTests {
    /// Healthy boots take 8–30 s here, but TCG on two cores shared with the other tests can be
    /// several times slower; a hung VM is killed when this runs out.
    static let bootTimeout: Duration = .seconds(180)

    /// BIOS iPXE, started by QEMU's own PXE ROM, fetches a script and a 1 MiB file from tftpd.
    @Test func iPXEDownloadsScriptAndPayloadOverTFTP() async throws {
        let qemu = try Peer.path("qemu-system-x86_64")
        let payload = TFTPDaemon.content(size: 1 << 20, seed: 11)
        let daemon = try await TFTPDaemon(files: ["payload.bin": payload])
        // User networking forwards 10.0.2.2 to the host's loopback. The script must name the port
        // the kernel picked, so it is written once tftpd runs (it opens files per request).
        let base = "tftp://10.0.2.2:\(daemon.port)"
        let script = Self.script(
            "imgfetch \(base)/payload.bin || goto failed",
            "imgstat payload.bin",
            "echo ANVIL-TFTP-OK")
        try Data(script.utf8).write(to: URL(fileURLWithPath: daemon.root + "/test.ipxe"))

        let vm = try ChildProcess(URL(fileURLWithPath: qemu), Self.qemu + [
            "-netdev", "user,id=n0,bootfile=\(base)/test.ipxe",
            "-device", "virtio-net-pci,netdev=n0", "-boot", "n",
        ])
        defer { Self.kill(vm) }
        let result = try await vm.wait(timeout: Self.bootTimeout)

        let serial = result.stdout
        #expect(result.status == 0, "qemu: \(result.stderr)")
        #expect(serial.contains("ANVIL-TFTP-OK"), "serial:\n\(serial.suffix(3000))")
        // iPXE's own count of what it received.
        #expect(serial.contains("payload.bin : \(payload.count) bytes"), "serial:\n\(serial.suffix(3000))")
        _ = try await daemon.waitForLogLine(containing: Self.completed("test.ipxe", bytes: script.utf8.count))
        _ = try await daemon.waitForLogLine(containing: Self.completed("payload.bin", bytes: payload.count))
        #expect(!daemon.child.stdout.contains("outcome=failed"), "\(daemon.child.stdout.suffix(4000))")
        _ = try await daemon.stop()
    }

    /// OVMF's own PXE client (the NIC's iPXE option ROM is left out) gets a lease from dnsmasq,
    /// fetches ipxe.efi from tftpd on port 69, and starts it; that iPXE then fetches a script from
    /// tftpd too, which reboots the VM so QEMU exits.
    @Test func ovmfNativePXEFetchesIPXEFromPort69() async throws {
        let qemu = try Peer.path("qemu-system-x86_64")
        let dnsmasq = try Peer.path("dnsmasq")
        let code = try Self.firmware("OVMF_CODE_4M.fd")
        let ipxeSize = try Self.size(of: "/usr/lib/ipxe/ipxe.efi")
        let scratch = try TemporaryDirectory()
        // OVMF writes its boot entries to the variable store: each VM needs its own copy.
        let vars = scratch.path + "/OVMF_VARS_4M.fd"
        try FileManager.default.copyItem(atPath: try Self.firmware("OVMF_VARS_4M.fd"), toPath: vars)

        let netns = try NetworkNamespace()
        defer { netns.delete() }
        let server = netns.gateway
        let daemon = try await TFTPDaemon(port: 69, address: server, runAs: netns.exec)
        netns.adopt(daemon.child)
        let script = Self.script("echo ANVIL-UEFI-OK ${platform}")
        try Data(script.utf8).write(to: URL(fileURLWithPath: daemon.root + "/chain.ipxe"))

        // dnsmasq goes to the background (see `startDaemon`); it exits non-zero on a bad setup.
        let pidFile = scratch.path + "/dnsmasq.pid"
        try await netns.startDaemon(dnsmasq, [
            // DHCP only: no DNS (port 0), no TFTP (tftpd serves that).
            "--conf-file=" + (try scratch.file("dnsmasq.conf", contents: "")), "--port=0", "--log-dhcp", "--log-facility=\(scratch.path)/dnsmasq.log",
            "--pid-file=\(pidFile)", "--dhcp-leasefile=\(scratch.path)/leases",
            "--interface=br0", "--bind-interfaces",
            "--dhcp-range=\(netns.subnet).100,\(netns.subnet).150,1h",
            "--enable-ra", "--dhcp-range=::,constructor:br0,ra-only",
            // Client architecture 7/9 is x86-64 UEFI; iPXE says who it is in its user class.
            "--dhcp-match=set:efi64,option:client-arch,7", "--dhcp-match=set:efi64,option:client-arch,9",
            "--dhcp-userclass=set:ipxe,iPXE",
            "--dhcp-boot=tag:ipxe,tftp://\(server)/chain.ipxe",
            "--dhcp-boot=tag:!ipxe,tag:efi64,ipxe.efi,,\(server)",
        ], pidFile: pidFile)

        let vm = try netns.start(qemu, Self.qemu + [
            "-machine", "q35",
            "-drive", "if=pflash,format=raw,readonly=on,file=\(code)",
            "-drive", "if=pflash,format=raw,file=\(vars)",
            "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
            // An empty romfile leaves OVMF's own PXE client in charge instead of QEMU's iPXE ROM.
            "-device", "virtio-net-pci,netdev=n0,mac=52:54:00:99:00:01,romfile=", "-boot", "n",
        ])
        defer { Self.kill(vm) }
        let result = try await vm.wait(timeout: Self.bootTimeout)

        let serial = result.stdout
        let dhcpLines = (try? String(contentsOfFile: scratch.path + "/dnsmasq.log", encoding: .utf8)) ?? ""
        let context = "serial:\n\(serial.suffix(3000))\ndnsmasq:\n\(dhcpLines.suffix(2000))"
        #expect(result.status == 0, "qemu: \(result.stderr)")
        #expect(serial.contains(">>Start PXE over IPv4"), "OVMF's PXE client ran; \(context)")
        #expect(serial.contains("iPXE initialising devices"), "ipxe.efi started; \(context)")
        #expect(serial.contains("ANVIL-UEFI-OK efi"), "\(context)")
        // OVMF may first open ipxe.efi only to learn its tsize and abort (outcome=aborted): fine.
        _ = try await daemon.waitForLogLine(containing: Self.completed("ipxe.efi", bytes: ipxeSize))
        _ = try await daemon.waitForLogLine(containing: Self.completed("chain.ipxe", bytes: script.utf8.count))
        #expect(!daemon.child.stdout.contains("outcome=failed"), "\(daemon.child.stdout.suffix(4000))")
        _ = try await daemon.stop()
    }

    /// Options shared by both VMs: TCG, serial console on stdout, a fixed SMBIOS UUID, and an exit
    /// instead of a reset when the guest reboots.
    static let qemu = [
        "-accel", "tcg", "-nographic", "-nodefaults", "-serial", "stdio", "-m", "256", "-no-reboot",
        "-smbios", "type=1,uuid=11111111-2222-3333-4444-555555555555",
    ]

    /// An iPXE script running `lines`, then rebooting (this iPXE build has no `poweroff`), on
    /// failure too. The `sleep` lets the serial port drain: a reset cuts off the last characters.
    static func script(_ lines: String...) -> String {
        (["#!ipxe"] + lines + ["goto done", ":failed", "echo ANVIL-TFTP-FAILED", ":done", "sleep 1", "reboot"])
            .joined(separator: "\n") + "\n"
    }

    /// Fragments of tftpd's log line for a completed transfer of `file` of `bytes` bytes.
    static func completed(_ file: String, bytes: Int) -> [String] {
        ["msg=\"transfer finished\"", " file=\(file) ", "outcome=completed", " bytes=\(bytes) "]
    }

    static func firmware(_ name: String) throws -> String {
        let path = "/usr/share/OVMF/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw TestFailure("\(path) is missing: .ci/run installs the real peers (apt-get install ovmf)")
        }
        return path
    }

    /// The size of the file at `path`, following symlinks (Debian's ipxe.efi is one).
    static func size(of path: String) throws -> Int {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let size = try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int else {
            throw TestFailure("no size for \(path)")
        }
        return size
    }

    /// Kills a VM left running by a failed wait or expectation.
    static func kill(_ child: ChildProcess) {
        if child.isRunning { child.signal(SIGKILL) }
    }
}
