import AnvilInitramfs
import Foundation

/// The drivers the agent loads: NICs to reach Anvil, disks to wipe, IPMI to set up the BMC.
enum AgentModuleList {
    /// The build fails without these: the agent cannot work without its disks and BMC interface,
    /// and the QEMU testbed needs virtio. `virtio_pci` is the transport the virtio devices sit on
    /// (nothing `depends=` on it, so it must be named).
    static let required = [
        "virtio_pci", "virtio_net", "virtio_blk", "virtio_scsi",
        "nvme", "ahci", "sd_mod",
        "ipmi_msghandler", "ipmi_si", "ipmi_devintf",
    ]
    /// Physical NIC drivers: a kernel built for other hardware may lack some; missing ones are a warning.
    static let optional = ["e1000", "e1000e", "igb", "ixgbe", "i40e", "bnxt_en", "mlx5_core"]

    static var request: ModuleRequest { ModuleRequest(required: required, optional: optional) }
}

/// A kernel's modules directory: its dependency graph and uncompressed copies of module files.
struct AgentModuleTree {
    let directory: URL
    /// Decompressed modules go here, at their path minus the compression suffix.
    let staging: URL

    /// The graph from `modules.dep` when the tree has one; otherwise (a kernel package as shipped,
    /// before depmod ran) from the `.modinfo` of the requested modules and everything they need.
    func dependencies(for request: ModuleRequest) throws -> ModuleDependencies {
        let builtin = (try? String(contentsOf: directory.appendingPathComponent("modules.builtin"), encoding: .utf8)) ?? ""
        let modulesDep = directory.appendingPathComponent("modules.dep")
        if FileManager.default.fileExists(atPath: modulesDep.path) {
            let text = try String(contentsOf: modulesDep, encoding: .utf8)
            do {
                return try ModuleDependencies.parse(modulesDep: text, modulesBuiltin: builtin)
            } catch {
                throw CLIError("agent build: \(modulesDep.path): \(error)")
            }
        }
        return ModuleDependencies(modules: try modulesFromModinfo(request), builtin: builtin.split(whereSeparator: \.isNewline).map(String.init))
    }

    /// The uncompressed file for a module path, decompressing into `staging` when needed.
    func uncompressedFile(_ path: String) throws -> URL {
        let source = directory.appendingPathComponent(path)
        guard let compression = ModuleName.compression(ofPath: path) else { return source }
        let target = staging.appendingPathComponent(ModuleName.decompressedPath(path))
        if FileManager.default.fileExists(atPath: target.path) { return target }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tool: AgentHostCommand = switch compression {
        case "xz": .xz
        case "zst": .zstd
        default: .gzip
        }
        try tool.run(["-dc", source.path], stdout: target)
        return target
    }

    /// Every module file under the directory, by normalized name (first path in sorted order wins).
    private func moduleIndex() throws -> [String: String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else {
            throw CLIError("agent build: cannot list \(directory.path)")
        }
        var index: [String: String] = [:]
        let paths = walker.compactMap { $0 as? String }.sorted()
        for path in paths {
            if let name = ModuleName.fromPath(path), index[name] == nil { index[name] = path }
        }
        return index
    }

    private func modulesFromModinfo(_ request: ModuleRequest) throws -> [KernelModule] {
        let index = try moduleIndex()
        var modules: [KernelModule] = []
        var pending = (request.required + request.optional).map(ModuleName.normalized)
        var seen = Set(pending)
        while let name = pending.popLast() {
            guard let path = index[name] else { continue }  // built in or missing: loadOrder says which
            let file = try uncompressedFile(path)
            let info: KernelModuleInfo
            do {
                info = try KernelModuleInfo.parse(elf: Array(try Data(contentsOf: file)))
            } catch {
                throw CLIError("agent build: \(directory.appendingPathComponent(path).path): \(error)")
            }
            modules.append(KernelModule(name: name, path: path, dependencies: info.dependencies))
            for dependency in info.dependencies where seen.insert(dependency).inserted { pending.append(dependency) }
        }
        return modules
    }
}
