import Foundation

/// A kernel ready to use: its image and its modules directory (`…/lib/modules/<version>`).
struct AgentKernel {
    let version: String
    let vmlinuz: URL
    let modulesDirectory: URL
    /// Where it came from, for the log and build-info (no host paths, so builds stay reproducible).
    let origin: String
}

/// `--kernel-from`: Debian's current kernel package, a `.deb` file, or an extracted package tree.
enum AgentKernelSource {
    case debian
    case package(URL)
    case tree(URL)

    init(argument: String) {
        if argument == "debian" { self = .debian; return }
        let url = URL(fileURLWithPath: argument).standardizedFileURL
        self = argument.hasSuffix(".deb") ? .package(url) : .tree(url)
    }

    /// Finds or fetches the kernel; `scratch` receives extracted packages, `cache` downloaded ones.
    func resolve(arch: AgentArch, cache: URL, scratch: URL) throws -> AgentKernel {
        switch self {
        case .tree(let root):
            return try Self.kernel(inTree: root, origin: "tree \(root.lastPathComponent)")
        case .package(let deb):
            guard FileManager.default.fileExists(atPath: deb.path) else { throw CLIError("agent build: --kernel-from \(deb.path): no such file") }
            return try Self.kernel(inTree: try Self.extract(deb, into: scratch), origin: "package \(deb.lastPathComponent)")
        case .debian:
            let deb = try DebianKernelPackage(arch: arch).download(into: cache)
            return try Self.kernel(inTree: try Self.extract(deb, into: scratch), origin: "debian \(deb.lastPathComponent)")
        }
    }

    private static func extract(_ deb: URL, into scratch: URL) throws -> URL {
        let root = scratch.appendingPathComponent("kernel-package", isDirectory: true)
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try AgentHostCommand.dpkgDeb.run(["-x", deb.path, root.path])
        return root
    }

    /// The kernel in an extracted package tree: `boot/vmlinuz-<v>` and `lib/modules/<v>/` (or `usr/lib/modules/<v>/`).
    static func kernel(inTree root: URL, origin: String) throws -> AgentKernel {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("agent build: --kernel-from \(root.path): no such directory")
        }
        let candidates = ["lib/modules", "usr/lib/modules"].map { root.appendingPathComponent($0, isDirectory: true) }
        let versions = candidates.flatMap { base in
            ((try? fileManager.contentsOfDirectory(atPath: base.path)) ?? []).sorted().map { (base, $0) }
        }
        let images = ((try? fileManager.contentsOfDirectory(atPath: root.appendingPathComponent("boot").path)) ?? [])
            .filter { $0.hasPrefix("vmlinuz-") || $0 == "vmlinuz" }.sorted()
        guard !versions.isEmpty else {
            throw CLIError("agent build: \(root.path) has no lib/modules/<version>/ directory (not an extracted kernel package)")
        }
        let matched = versions.filter { images.contains("vmlinuz-\($0.1)") }
        let chosen: (URL, String)
        let image: String
        if matched.count == 1 {
            chosen = matched[0]
            image = "vmlinuz-\(chosen.1)"
        } else if matched.isEmpty, versions.count == 1, images.count == 1 {
            chosen = versions[0]
            image = images[0]
        } else if matched.isEmpty {
            throw CLIError("agent build: \(root.path) has no boot/vmlinuz-<version> for \(versions.map(\.1).joined(separator: ", "))")
        } else {
            throw CLIError("agent build: \(root.path) has several kernels (\(matched.map(\.1).joined(separator: ", "))); point --kernel-from at a tree with one")
        }
        return AgentKernel(
            version: chosen.1, vmlinuz: root.appendingPathComponent("boot").appendingPathComponent(image),
            modulesDirectory: chosen.0.appendingPathComponent(chosen.1, isDirectory: true), origin: origin)
    }
}
