import Foundation

/// Putting finished files in place: write under a temporary name in the target directory, then
/// rename, so bootd never serves a half-written kernel or initramfs.
enum AgentArtifacts {
    /// Copies `source` to `directory/name` atomically (replacing what is there).
    static func place(_ source: URL, in directory: URL, as name: String) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(name).tmp-\(UUID().uuidString.prefix(8))")
        do {
            try fileManager.copyItem(at: source, to: temporary)
        } catch {
            throw CLIError("agent build: cannot write \(temporary.path): \(error.localizedDescription)")
        }
        try commit(temporary, to: directory.appendingPathComponent(name))
    }

    /// Renames a finished temporary file over its final name (rename(2) replaces atomically).
    static func commit(_ temporary: URL, to target: URL) throws {
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("agent build: cannot rename \(temporary.lastPathComponent) to \(target.path): \(reason)")
        }
    }

    static func size(of url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.int64Value ?? 0
    }

    /// `12.3 MB` style, for the progress lines.
    static func human(_ bytes: Int64) -> String {
        bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1_000_000) : String(format: "%.1f kB", Double(bytes) / 1_000)
    }
}
