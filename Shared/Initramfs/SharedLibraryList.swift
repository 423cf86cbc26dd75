/// The libraries `ldd` says a dynamic executable loads: what the initramfs must contain besides
/// the binary, at the same paths.
public enum SharedLibraryList {
    /// Absolute paths from `ldd` output, the dynamic loader included, sorted and each once;
    /// kernel-provided objects (`linux-vdso.so.1`) are skipped; a static binary gives none.
    public static func parse(lddOutput: String) throws -> [String] {
        var paths: Set<String> = []
        for rawLine in lddOutput.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmed(of: " \t")
            if line.isEmpty || line.contains("statically linked") || line.contains("not a dynamic executable") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if let arrow = parts.firstIndex(of: "=>") {
                let target = parts.dropFirst(arrow + 1).first
                if target == "not" || target == nil { throw SharedLibraryListError.notFound(parts.first ?? line) }
                if let target, target.hasPrefix("/") { paths.insert(target) }
                // `name => (0x…)`: provided by the kernel, nothing to copy.
            } else if let first = parts.first, first.hasPrefix("/") {
                paths.insert(first)
            }
        }
        return paths.sorted()
    }
}

/// `ldd` named a library it could not find on this host.
public enum SharedLibraryListError: Error, Equatable, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let library): "ldd: library \(library) not found on this host"
        }
    }
}
