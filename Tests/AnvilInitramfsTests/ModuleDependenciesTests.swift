import Testing
@testable import AnvilInitramfs

@Suite struct ModuleDependenciesTests {
    static let modulesDep = """
        kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
        kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
        kernel/net/core/failover.ko:
        kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/virtio/virtio_ring.ko:
        kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
        kernel/drivers/char/ipmi/ipmi_si.ko.zst: kernel/drivers/char/ipmi/ipmi_msghandler.ko
        kernel/drivers/char/ipmi/ipmi_msghandler.ko:
        kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko
        kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko:
        kernel/drivers/some/dash-name.ko: kernel/drivers/virtio/virtio.ko

        """
    static let builtin = """
        kernel/drivers/scsi/scsi_mod.ko
        kernel/drivers/ata/libahci.ko
        kernel/drivers/ata/ahci.ko
        """

    private func graph() throws -> ModuleDependencies {
        try ModuleDependencies.parse(modulesDep: Self.modulesDep, modulesBuiltin: Self.builtin)
    }

    @Test func parsesPathsAndSuffixes() throws {
        let graph = try graph()
        #expect(graph.module(named: "virtio_blk")?.path == "kernel/drivers/block/virtio_blk.ko.xz")
        #expect(graph.module(named: "ipmi_si")?.dependencies == ["ipmi_msghandler"])
        #expect(graph.module(named: "virtio_net")?.dependencies == ["net_failover", "failover", "virtio_ring", "virtio"])
        #expect(graph.isBuiltin("ahci") && graph.isBuiltin("scsi-mod") && !graph.isBuiltin("virtio"))
    }

    @Test func dependenciesFirstSharedOnesOnce() throws {
        let plan = try graph().loadOrder(for: ModuleRequest(required: ["virtio_net", "virtio_blk", "ipmi_si"]))
        #expect(plan.modules.map(\.name) == ["failover", "net_failover", "virtio_ring", "virtio", "virtio_net", "virtio_blk", "ipmi_msghandler", "ipmi_si"])
        #expect(plan.paths.last == "kernel/drivers/char/ipmi/ipmi_si.ko.zst")
        #expect(plan.builtin.isEmpty && plan.missingOptional.isEmpty)
    }

    @Test func builtinModulesNeedNoFile() throws {
        let plan = try graph().loadOrder(for: ModuleRequest(required: ["ahci", "sd_mod"]))
        #expect(plan.modules.map(\.name) == ["sd_mod"])
        #expect(plan.builtin == ["ahci", "scsi_mod"])
    }

    @Test func dashesAndUnderscoresAreTheSame() throws {
        let graph = try graph()
        #expect(graph.module(named: "dash_name")?.name == "dash_name")
        let plan = try graph.loadOrder(for: ModuleRequest(required: ["virtio-net", "dash-name", "dash_name"]))
        #expect(plan.modules.map(\.name) == ["failover", "net_failover", "virtio_ring", "virtio", "virtio_net", "dash_name"])
    }

    @Test func missingRequiredModuleIsNamed() throws {
        #expect(throws: ModuleDependencyError.missingModule("bnxt_en")) {
            try graph().loadOrder(for: ModuleRequest(required: ["virtio_net", "bnxt-en"]))
        }
        #expect("\(ModuleDependencyError.missingModule("bnxt_en"))".contains("bnxt_en"))
    }

    @Test func missingOptionalModuleIsReported() throws {
        let plan = try graph().loadOrder(for: ModuleRequest(required: ["ipmi_si"], optional: ["bnxt_en", "e1000e", "mlx5_core"]))
        #expect(plan.modules.map(\.name) == ["ipmi_msghandler", "ipmi_si", "e1000e"])
        #expect(plan.missingOptional == ["bnxt_en", "mlx5_core"])
    }

    @Test func missingDependencyNamesItsUser() throws {
        let graph = try ModuleDependencies.parse(modulesDep: "kernel/a.ko: kernel/b.ko\n")
        #expect(throws: ModuleDependencyError.missingDependency("b", neededBy: "a")) {
            try graph.loadOrder(for: ModuleRequest(required: ["a"]))
        }
    }

    @Test func cycleIsAnErrorNamingIt() throws {
        let graph = try ModuleDependencies.parse(modulesDep: """
            kernel/a.ko: kernel/b.ko
            kernel/b.ko: kernel/c.ko
            kernel/c.ko: kernel/a.ko
            """)
        #expect(throws: ModuleDependencyError.cycle(["a", "b", "c", "a"])) {
            try graph.loadOrder(for: ModuleRequest(required: ["a"]))
        }
    }

    @Test func malformedLinesAreRejected() {
        #expect(throws: ModuleDependencyError.malformedLine(number: 2, text: "no colon here")) {
            try ModuleDependencies.parse(modulesDep: "kernel/a.ko:\nno colon here\n")
        }
        #expect(throws: ModuleDependencyError.notAModulePath("kernel/a.txt")) {
            try ModuleDependencies.parse(modulesDep: "kernel/a.txt:\n")
        }
    }

    @Test func orderDoesNotDependOnLineOrder() throws {
        let reversed = Self.modulesDep.split(separator: "\n").reversed().joined(separator: "\n")
        let request = ModuleRequest(required: ["virtio_net", "virtio_blk"])
        let first = try graph().loadOrder(for: request)
        let second = try ModuleDependencies.parse(modulesDep: reversed, modulesBuiltin: Self.builtin).loadOrder(for: request)
        #expect(first == second)
    }

    @Test func moduleNames() {
        #expect(ModuleName.fromPath("kernel/drivers/net/virtio_net.ko") == "virtio_net")
        #expect(ModuleName.fromPath("kernel/crypto/crc-t10dif.ko.zst") == "crc_t10dif")
        #expect(ModuleName.fromPath("kernel/x/y.ko.xz") == "y")
        #expect(ModuleName.fromPath("modules.dep") == nil)
        #expect(ModuleName.decompressedPath("kernel/x/y.ko.xz") == "kernel/x/y.ko")
        #expect(ModuleName.compression(ofPath: "kernel/x/y.ko") == nil)
    }
}
