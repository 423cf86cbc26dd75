import AnvilInitramfs
import Foundation

/// What goes into the agent's initramfs, and where (docs/agent-build.md).
struct AgentInitramfsLayout {
    /// The load-order file the agent reads at boot: one absolute module path per line.
    static let moduleListPath = "etc/anvil/modules"
    static let buildInfoPath = "etc/anvil/build-info"

    let kernel: AgentKernel
    let plan: ModuleLoadPlan
    /// Uncompressed module files, by module path as in the plan.
    let moduleFiles: [String: URL]
    /// The (stripped) agent, stored as `/init`.
    let agent: URL
    let agentSHA256: String
    /// Absolute library paths from ldd, each with the real file (symlinks followed) to store there.
    let libraries: [(path: String, file: URL)]
    let arch: AgentArch

    /// Archive paths of the modules, in load order: `lib/modules/<version>/<path without .xz/.zst>`.
    var moduleArchivePaths: [String] {
        plan.paths.map { "lib/modules/\(kernel.version)/\(ModuleName.decompressedPath($0))" }
    }

    func writer(modificationTime: UInt32) throws -> CPIONewcWriter {
        var writer = CPIONewcWriter(modificationTime: modificationTime)
        for directory in ["dev", "proc", "sys", "run", "etc", "etc/anvil"] {
            try writer.addDirectory(directory)
        }
        try writer.addDirectory("tmp", permissions: 0o1777)
        try writer.addCharacterDevice("dev/console", major: 5, minor: 1, permissions: 0o600)
        try writer.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
        try writer.addFile("init", hostPath: agent.path, permissions: 0o755)
        for library in libraries {
            try writer.addFile(String(library.path.drop(while: { $0 == "/" })), hostPath: library.file.path, permissions: 0o755)
        }
        for (path, archivePath) in zip(plan.paths, moduleArchivePaths) {
            guard let file = moduleFiles[path] else { throw CLIError("agent build: no file prepared for module \(path)") }
            try writer.addFile(archivePath, hostPath: file.path, permissions: 0o644)
        }
        try writer.addFile(Self.moduleListPath, bytes: Array(moduleList.utf8))
        try writer.addFile(Self.buildInfoPath, bytes: Array(buildInfo.utf8))
        return writer
    }

    /// `/etc/anvil/modules`: absolute paths, dependencies first; the agent calls finit_module on each in turn.
    var moduleList: String {
        moduleArchivePaths.map { "/\($0)\n" }.joined()
    }

    /// `/etc/anvil/build-info`: what this initramfs was made from, without host paths or times.
    var buildInfo: String {
        var lines = [
            "arch: \(arch.rawValue)",
            "kernel: \(kernel.version)",
            "kernel-origin: \(kernel.origin)",
            "agent-sha256: \(agentSHA256)",
            "modules: \(plan.modules.map(\.name).joined(separator: " "))",
        ]
        if !plan.builtin.isEmpty { lines.append("builtin: \(plan.builtin.joined(separator: " "))") }
        if !plan.missingOptional.isEmpty { lines.append("missing-optional: \(plan.missingOptional.joined(separator: " "))") }
        lines.append("libraries: \(libraries.map(\.path).joined(separator: " "))")
        return lines.map { "\($0)\n" }.joined()
    }
}
