import Foundation

/// Debian's current kernel for an architecture: the versioned package `linux-image-<arch>`
/// depends on, downloaded with `apt-get download` (never installed) and kept in a cache.
struct DebianKernelPackage {
    let arch: AgentArch

    /// The `.deb` in `cache`, downloaded unless a previous run left it there.
    func download(into cache: URL) throws -> URL {
        let package = try versionedPackage()
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: cache, withIntermediateDirectories: true)
        if let cached = try cachedFile(of: package, in: cache) { return cached }
        // Into a private directory first, so an interrupted download is never taken for a cached one.
        let partial = cache.appendingPathComponent(".download-\(UUID().uuidString)", isDirectory: true)
        try fileManager.createDirectory(at: partial, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: partial) }
        try AgentHostCommand.aptGet.run(["download", "-q", package], in: partial)
        guard let downloaded = try cachedFile(of: package, in: partial) else {
            throw CLIError("agent build: `apt-get download \(package)` left no \(package)_*.deb")
        }
        let target = cache.appendingPathComponent(downloaded.lastPathComponent)
        try fileManager.moveItem(at: downloaded, to: target)
        return target
    }

    /// `linux-image-6.1.0-NN-amd64`, from `apt-cache depends linux-image-amd64`.
    func versionedPackage() throws -> String {
        let meta = "linux-image-\(arch.rawValue)"
        let output = try AgentHostCommand.aptCache.run(["depends", meta])
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("Depends:") else { continue }
            let name = trimmed.dropFirst("Depends:".count).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("linux-image-"), name.hasSuffix("-\(arch.rawValue)"), name.dropFirst("linux-image-".count).first?.isNumber == true {
                return name
            }
        }
        throw CLIError("agent build: `apt-cache depends \(meta)` names no linux-image-<version>-\(arch.rawValue) package (run `apt-get update`?)")
    }

    private func cachedFile(of package: String, in directory: URL) throws -> URL? {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("\(package)_") && $0.hasSuffix("_\(arch.rawValue).deb") }
            .sorted().last
            .map { directory.appendingPathComponent($0) }
    }
}

/// The architectures `anvil agent build` knows (Debian's names).
enum AgentArch: String, CaseIterable {
    case amd64
    case arm64
}
