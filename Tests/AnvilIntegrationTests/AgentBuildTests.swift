import Foundation
import Testing

/// `anvil agent build` end to end: a hand-made kernel tree (and once Debian's real kernel) plus
/// the built anvil-agent become vmlinuz + initramfs.xz that xz and cpio read back.
@Suite(.serialized) struct AgentBuildTests {
    static let version = "6.1.0-test-amd64"

    /// The load order the fake tree must give: required modules in list order, dependencies
    /// first (by name), optional NIC drivers after; compressed modules stored decompressed.
    static let expectedModules = [
        "kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
        "kernel/drivers/virtio/virtio_pci_legacy_dev.ko", "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
        "kernel/drivers/virtio/virtio_pci.ko",
        "kernel/net/core/failover.ko", "kernel/drivers/net/net_failover.ko", "kernel/drivers/net/virtio_net.ko",
        "kernel/drivers/block/virtio_blk.ko", "kernel/drivers/scsi/virtio_scsi.ko",
        "kernel/drivers/nvme/host/nvme-core.ko", "kernel/drivers/nvme/host/nvme.ko",
        "kernel/drivers/scsi/sd_mod.ko",
        "kernel/drivers/char/ipmi/ipmi_msghandler.ko", "kernel/drivers/char/ipmi/ipmi_si.ko", "kernel/drivers/char/ipmi/ipmi_devintf.ko",
        "kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko",
        "kernel/drivers/i2c/algos/i2c-algo-bit.ko", "kernel/drivers/net/ethernet/intel/igb/igb.ko",
    ].map { "/lib/modules/\(version)/\($0)" }

    /// The fake-tree builds pack a small dynamically linked program as the agent: compressing
    /// the real (debug) anvil-agent takes most of a minute; the real one is packed by
    /// `buildsFromTheRealDebianKernel` and booted by AgentQEMUTests.
    static let smallAgent = URL(fileURLWithPath: "/usr/bin/env")

    @Test func buildsAReadableReproducibleInitramfsAndInstallsIt() async throws {
        let scratch = try TemporaryDirectory()
        let tree = try await FakeKernelTree.make(in: scratch.url.appendingPathComponent("kernel"), version: Self.version)
        let first = scratch.url.appendingPathComponent("out1")
        let result = try await Self.build(state: scratch, ["--kernel-from", tree.path, "--output", first.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("[6/6]") && result.stdout.contains("sha256"))
        // Optional NIC drivers this kernel lacks are warnings, not errors.
        #expect(result.stderr.contains("warning: kernel \(Self.version) has no bnxt_en module"))
        #expect(try Data(contentsOf: first.appendingPathComponent("vmlinuz")) == Data("fake kernel image\n".utf8))

        let initramfs = first.appendingPathComponent("initramfs.xz").path
        #expect(try await Self.shell("xz -t '\(initramfs)'").status == 0)
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: initramfs))
        let flags = try #require(try header.read(upToCount: 8))
        try header.close()
        #expect(Array(flags) == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x01], "the kernel needs a CRC32 check")

        let listing = try await Self.shell("xz -dc '\(initramfs)' | cpio -itv --quiet")
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = listing.stdout.split(separator: "\n").map(String.init)
        let names = Set(lines.compactMap { $0.split(separator: " ").last.map(String.init) })
        #expect(lines.contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix(" init") })
        #expect(lines.contains { $0.hasPrefix("crw-------") && $0.contains("5,   1") && $0.hasSuffix(" dev/console") })
        #expect(lines.contains { $0.hasPrefix("crw-rw-rw-") && $0.hasSuffix(" dev/null") })
        for directory in ["dev", "proc", "sys", "run", "tmp", "etc"] { #expect(names.contains(directory), "\(directory)") }
        for library in try await Self.libraries(of: Self.smallAgent) {
            #expect(names.contains(String(library.dropFirst())), "\(library)")
        }
        for module in Self.expectedModules { #expect(names.contains(String(module.dropFirst())), "\(module)") }

        let root = scratch.url.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let extract = try await Self.shell("cd '\(root.path)' && xz -dc '\(initramfs)' | cpio -idm --quiet --no-absolute-filenames")
        #expect(extract.status == 0, "\(extract.stderr)")
        let moduleList = try String(contentsOf: root.appendingPathComponent("etc/anvil/modules"), encoding: .utf8)
        #expect(moduleList == Self.expectedModules.map { "\($0)\n" }.joined())
        // The .ko.xz module is stored decompressed.
        #expect(try String(contentsOf: root.appendingPathComponent("lib/modules/\(Self.version)/kernel/drivers/net/virtio_net.ko"), encoding: .utf8) == "module virtio_net\n")
        let buildInfo = try String(contentsOf: root.appendingPathComponent("etc/anvil/build-info"), encoding: .utf8)
        #expect(buildInfo.contains("kernel: \(Self.version)") && buildInfo.contains("agent-sha256: ") && buildInfo.contains("missing-optional: "))

        // Same inputs, same bytes; --install puts them where bootd serves them (one build, both checks:
        // each build spends most of its time compressing the agent).
        let state = scratch.url.appendingPathComponent("state")
        let again = try await Self.build(state: scratch, ["--state", state.path, "--kernel-from", tree.path, "--install"])
        #expect(again.status == 0, "\(again.stderr)")
        let installed = state.appendingPathComponent("agent/agent-amd64")
        let built = state.appendingPathComponent("agent/build/agent-amd64")
        #expect(try Data(contentsOf: installed.appendingPathComponent("initramfs.xz")) == Data(contentsOf: URL(fileURLWithPath: initramfs)))
        for file in ["vmlinuz", "initramfs.xz"] {
            #expect(try Data(contentsOf: installed.appendingPathComponent(file)) == Data(contentsOf: built.appendingPathComponent(file)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: installed.path).sorted() == ["initramfs.xz", "vmlinuz"])
        #expect(again.stdout.contains("installed in \(installed.path)"))
    }

    @Test func badInputsFailWithOneClearMessage() async throws {
        let scratch = try TemporaryDirectory()
        let output = scratch.url.appendingPathComponent("out").path
        let missing = try await Self.build(state: scratch, ["--kernel-from", scratch.url.appendingPathComponent("nope").path, "--output", output])
        #expect(missing.status != 0)
        #expect(Self.oneError(missing.stderr)?.contains("no such directory") == true, "\(missing.stderr)")

        let noImage = try await FakeKernelTree.make(in: scratch.url.appendingPathComponent("no-image"), version: Self.version)
        try FileManager.default.removeItem(at: noImage.appendingPathComponent("boot/vmlinuz-\(Self.version)"))
        let imageless = try await Self.build(state: scratch, ["--kernel-from", noImage.path, "--output", output])
        #expect(imageless.status != 0)
        #expect(Self.oneError(imageless.stderr)?.contains("vmlinuz") == true, "\(imageless.stderr)")

        let noIPMI = try await FakeKernelTree.make(in: scratch.url.appendingPathComponent("no-ipmi"), version: Self.version, omitting: "ipmi_si")
        let incomplete = try await Self.build(state: scratch, ["--kernel-from", noIPMI.path, "--output", output])
        #expect(incomplete.status != 0)
        #expect(Self.oneError(incomplete.stderr)?.contains("ipmi_si") == true, "\(incomplete.stderr)")

        let arm = try await Self.build(state: scratch, ["--arch", "arm64", "--kernel-from", noIPMI.path, "--output", output])
        #expect(arm.status != 0 && Self.oneError(arm.stderr)?.contains("arm64") == true, "\(arm.stderr)")
    }

    /// Debian's real kernel package and the real anvil-agent, built once for the whole run by
    /// `AgentEnvironmentBuild` (the kernel download cached in /var/cache/anvil-testbed): virtio_net
    /// and ipmi_si with the dependencies read from the modules' .modinfo, the agent's libraries.
    /// AgentQEMUTests boots this same environment into the agent.
    @Test func buildsFromTheRealDebianKernel() async throws {
        let initramfs = try await AgentEnvironmentBuild.shared.directory() + "/initramfs.xz"
        let modules = try await Self.shell("xz -dc '\(initramfs)' | cpio -i --quiet --to-stdout etc/anvil/modules")
        let paths = modules.stdout.split(separator: "\n").map(String.init)
        func position(_ name: String) -> Int? { paths.firstIndex { $0.hasSuffix("/\(name).ko") } }
        for name in ["virtio_net", "net_failover", "failover", "virtio", "virtio_ring", "virtio_pci", "ipmi_si", "ipmi_msghandler", "ipmi_devintf", "nvme", "ahci", "sd_mod", "e1000"] {
            #expect(position(name) != nil, "\(name) not in \(paths)")
        }
        #expect((position("failover") ?? .max) < (position("net_failover") ?? .min))
        #expect((position("net_failover") ?? .max) < (position("virtio_net") ?? .min))
        #expect((position("ipmi_msghandler") ?? .max) < (position("ipmi_si") ?? .min))
        let listing = try await Self.shell("xz -dc '\(initramfs)' | cpio -it --quiet")
        for path in paths { #expect(listing.stdout.contains(String(path.dropFirst()) + "\n"), "\(path)") }
        for library in try await Self.libraries(of: BuiltProducts.url("anvil-agent")) {
            #expect(listing.stdout.contains(String(library.dropFirst()) + "\n"), "\(library)")
        }
    }

    // MARK: - Helpers

    static func build(state: TemporaryDirectory, _ arguments: [String], agent: URL = smallAgent, timeout: Duration = .seconds(300)) async throws -> ChildProcess.Result {
        guard FileManager.default.isExecutableFile(atPath: agent.path) else {
            throw TestFailure("no agent binary at \(agent.path)")
        }
        let withState = arguments.contains("--state") ? arguments : arguments + ["--state", state.url.appendingPathComponent("default-state").path]
        return try await ChildProcess.run(
            BuiltProducts.url("anvil"), ["agent", "build", "--agent-binary", agent.path] + withState, timeout: timeout)
    }

    static func shell(_ command: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-o", "pipefail", "-c", command], timeout: .seconds(120))
    }

    /// stderr's error line, nil unless it holds exactly one `error:` line.
    static func oneError(_ stderr: String) -> String? {
        let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        return errors.count == 1 ? String(errors[0]) : nil
    }

    static func libraries(of binary: URL) async throws -> [String] {
        let ldd = try await shell("ldd '\(binary.path)'")
        return ldd.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").map(String.init).first { $0.hasPrefix("/") }
        }
    }
}
