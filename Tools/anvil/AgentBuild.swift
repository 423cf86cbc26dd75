import AnvilDaemon
import AnvilInitramfs
import Foundation

/// The steps of `anvil agent build`, one progress line each, then a summary.
struct AgentBuild {
    let arch: AgentArch
    let kernelSource: AgentKernelSource
    let agentBinary: URL
    let outputDirectory: URL
    let installDirectory: URL?
    let cacheDirectory: URL
    let modificationTime: UInt32

    private static let steps = 6

    func run() throws {
        let fileManager = FileManager.default
        guard fileManager.isExecutableFile(atPath: agentBinary.path) else {
            throw CLIError("agent build: agent binary \(agentBinary.path) does not exist or is not executable (run `swift build --product anvil-agent`, or pass --agent-binary)")
        }
        let scratch = fileManager.temporaryDirectory.appendingPathComponent("anvil-agent-build-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: scratch) }

        let kernel = try kernelSource.resolve(arch: arch, cache: cacheDirectory, scratch: scratch)
        step(1, "kernel \(kernel.version) (\(kernel.origin)), \(AgentArtifacts.human(AgentArtifacts.size(of: kernel.vmlinuz))) vmlinuz")

        let tree = AgentModuleTree(directory: kernel.modulesDirectory, staging: scratch.appendingPathComponent("modules", isDirectory: true))
        let plan: ModuleLoadPlan
        do {
            plan = try tree.dependencies(for: AgentModuleList.request).loadOrder(for: AgentModuleList.request)
        } catch let error as ModuleDependencyError {
            throw CLIError("agent build: kernel \(kernel.version): \(error)")
        }
        for missing in plan.missingOptional {
            warn("kernel \(kernel.version) has no \(missing) module; servers that need it cannot be discovered")
        }
        var moduleFiles: [String: URL] = [:]
        for path in plan.paths { moduleFiles[path] = try tree.uncompressedFile(path) }
        step(2, "modules: \(plan.modules.count) files for \(AgentModuleList.required.count + AgentModuleList.optional.count - plan.missingOptional.count) drivers\(plan.builtin.isEmpty ? "" : ", built in: \(plan.builtin.joined(separator: " "))")")

        let agent = try strippedAgent(in: scratch)
        let agentSHA256 = try sha256Hex(of: agent)
        step(3, "agent: \(agentBinary.path) → /init, \(AgentArtifacts.human(AgentArtifacts.size(of: agent)))")

        let libraries = try sharedLibraries()
        step(4, "libraries: \(libraries.map(\.path).joined(separator: " "))")

        let layout = AgentInitramfsLayout(
            kernel: kernel, plan: plan, moduleFiles: moduleFiles, agent: agent, agentSHA256: agentSHA256,
            libraries: libraries, arch: arch)
        let archive = scratch.appendingPathComponent("initramfs.cpio")
        let writer = try layout.writer(modificationTime: modificationTime)
        guard fileManager.createFile(atPath: archive.path, contents: nil) else { throw CLIError("agent build: cannot create \(archive.path)") }
        let handle = try FileHandle(forWritingTo: archive)
        do {
            try writer.write(to: handle)
            try handle.close()
        } catch {
            try? handle.close()
            throw CLIError("agent build: \(error)")
        }
        step(5, "archive: \(writer.sortedEntries.count) entries, \(AgentArtifacts.human(AgentArtifacts.size(of: archive))) cpio")

        try fileManager.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let initramfs = outputDirectory.appendingPathComponent("initramfs.xz")
        try compress(archive, to: initramfs)
        try AgentArtifacts.place(kernel.vmlinuz, in: outputDirectory, as: "vmlinuz")
        step(6, "compressed: xz (CRC32) \(AgentArtifacts.human(AgentArtifacts.size(of: initramfs)))")

        try summarize([outputDirectory.appendingPathComponent("vmlinuz"), initramfs])
        if let installDirectory {
            try AgentArtifacts.place(outputDirectory.appendingPathComponent("vmlinuz"), in: installDirectory, as: "vmlinuz")
            try AgentArtifacts.place(initramfs, in: installDirectory, as: "initramfs.xz")
            out("installed in \(installDirectory.path) (bootd serves it to unknown servers)")
        }
    }

    /// A copy of the agent without debug info (the initramfs is held in RAM); as is, with a
    /// warning, when strip is missing.
    private func strippedAgent(in scratch: URL) throws -> URL {
        let target = scratch.appendingPathComponent("init")
        guard AgentHostCommand.strip.isInstalled else {
            warn("`strip` is not installed (Debian package binutils); the agent goes in with its debug info")
            try FileManager.default.copyItem(at: agentBinary, to: target)
            return target
        }
        // .swift_ast is LLDB's copy of the Swift modules (tens of MB), not needed to run.
        try AgentHostCommand.strip.run(["--strip-debug", "--remove-section=.swift_ast", "-o", target.path, agentBinary.path])
        return target
    }

    /// Every library ldd resolves, with the real file behind each symlink.
    private func sharedLibraries() throws -> [(path: String, file: URL)] {
        let output = try AgentHostCommand.ldd.run([agentBinary.path])
        let paths: [String]
        do {
            paths = try SharedLibraryList.parse(lddOutput: output)
        } catch {
            throw CLIError("agent build: \(agentBinary.path): \(error)")
        }
        return paths.map { ($0, URL(fileURLWithPath: $0).resolvingSymlinksInPath()) }
    }

    /// xz with CRC32 (the kernel rejects CRC64) and one thread (same bytes on every machine).
    private func compress(_ archive: URL, to initramfs: URL) throws {
        let temporary = initramfs.deletingLastPathComponent().appendingPathComponent(".initramfs.xz.tmp-\(UUID().uuidString.prefix(8))")
        do {
            try AgentHostCommand.xz.run(["--check=crc32", "--lzma2=preset=6,dict=1MiB", "-T1", "-c"], stdin: archive, stdout: temporary)
            let header = try FileHandle(forReadingFrom: temporary)
            defer { try? header.close() }
            guard let bytes = try header.read(upToCount: 12), XZStreamHeader.check(of: bytes) == .crc32 else {
                throw CLIError("agent build: xz did not write a CRC32 stream; the kernel would reject it")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try AgentArtifacts.commit(temporary, to: initramfs)
    }

    private func summarize(_ files: [URL]) throws {
        for file in files {
            out("\(file.path)  \(AgentArtifacts.size(of: file)) bytes  sha256 \(try sha256Hex(of: file))")
        }
    }

    private func step(_ number: Int, _ text: String) {
        out("[\(number)/\(Self.steps)] \(text)")
    }

    private func warn(_ text: String) {
        StandardStream.error.write("warning: \(text)\n")
    }
}
