import AnvilSpawn
import Foundation

/// An extracted-kernel-package look-alike for `anvil agent build --kernel-from DIR`: a fake
/// vmlinuz, modules.dep/modules.builtin and dummy module files, some of them xz-compressed.
enum FakeKernelTree {
    /// Module path → dependency paths, as modules.dep has them (`.xz` ones are compressed on disk).
    static let modules: [(path: String, dependencies: [String])] = [
        ("kernel/drivers/virtio/virtio_ring.ko", []),
        ("kernel/drivers/virtio/virtio.ko", ["kernel/drivers/virtio/virtio_ring.ko"]),
        ("kernel/drivers/virtio/virtio_pci_legacy_dev.ko", []),
        ("kernel/drivers/virtio/virtio_pci_modern_dev.ko", []),
        ("kernel/drivers/virtio/virtio_pci.ko", [
            "kernel/drivers/virtio/virtio_pci_legacy_dev.ko", "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
            "kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
        ]),
        ("kernel/net/core/failover.ko", []),
        ("kernel/drivers/net/net_failover.ko.xz", ["kernel/net/core/failover.ko"]),
        ("kernel/drivers/net/virtio_net.ko.xz", [
            "kernel/drivers/net/net_failover.ko.xz", "kernel/net/core/failover.ko",
            "kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
        ]),
        ("kernel/drivers/block/virtio_blk.ko", ["kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko"]),
        ("kernel/drivers/scsi/virtio_scsi.ko", ["kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko"]),
        ("kernel/drivers/nvme/host/nvme-core.ko", []),
        ("kernel/drivers/nvme/host/nvme.ko", ["kernel/drivers/nvme/host/nvme-core.ko"]),
        ("kernel/drivers/scsi/sd_mod.ko", []),
        ("kernel/drivers/char/ipmi/ipmi_msghandler.ko", []),
        ("kernel/drivers/char/ipmi/ipmi_si.ko.xz", ["kernel/drivers/char/ipmi/ipmi_msghandler.ko"]),
        ("kernel/drivers/char/ipmi/ipmi_devintf.ko", ["kernel/drivers/char/ipmi/ipmi_msghandler.ko"]),
        ("kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko", []),
        ("kernel/drivers/i2c/algos/i2c-algo-bit.ko", []),
        ("kernel/drivers/net/ethernet/intel/igb/igb.ko", ["kernel/drivers/i2c/algos/i2c-algo-bit.ko"]),
        ("kernel/drivers/unrelated/unrelated.ko", []),
    ]
    /// ahci is built in, like sd_mod's scsi_mod would be on some kernels.
    static let builtin = ["kernel/drivers/ata/ahci.ko", "kernel/drivers/scsi/scsi_mod.ko"]

    /// Writes the tree under `root` and returns it; `omitting` drops one module (name) entirely.
    static func make(in root: URL, version: String, omitting: String? = nil) async throws -> URL {
        let fileManager = FileManager.default
        let modulesDirectory = root.appendingPathComponent("lib/modules/\(version)")
        try fileManager.createDirectory(at: root.appendingPathComponent("boot"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: modulesDirectory, withIntermediateDirectories: true)
        try "fake kernel image\n".write(to: root.appendingPathComponent("boot/vmlinuz-\(version)"), atomically: true, encoding: .utf8)
        var modulesDep = ""
        for module in modules {
            let file = module.path.split(separator: "/").last.map(String.init) ?? module.path
            let name = String(file.prefix { $0 != "." })
            if name == omitting { continue }
            modulesDep += "\(module.path): \(module.dependencies.joined(separator: " "))\n"
            let plain = modulesDirectory.appendingPathComponent(module.path.hasSuffix(".xz") ? String(module.path.dropLast(3)) : module.path)
            try fileManager.createDirectory(at: plain.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "module \(name)\n".write(to: plain, atomically: true, encoding: .utf8)
            if module.path.hasSuffix(".xz") { try await compress(plain) }
        }
        try modulesDep.write(to: modulesDirectory.appendingPathComponent("modules.dep"), atomically: true, encoding: .utf8)
        try builtin.map { "\($0)\n" }.joined().write(to: modulesDirectory.appendingPathComponent("modules.builtin"), atomically: true, encoding: .utf8)
        return root
    }

    /// `xz` in place: file → file.xz.
    private static func compress(_ file: URL) async throws {
        let finished = try await SpawnedProcess.runInBackground(try Peer.path("xz"), ["-z", file.path])
        guard finished.succeeded else { throw TestFailure("xz -z \(file.path) failed: \(finished.errorText)") }
    }
}
