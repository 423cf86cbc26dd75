/// Kernel module names: `-` and `_` are the same character to the kernel, and a file is named
/// after its module plus `.ko`, `.ko.xz`, `.ko.zst` or `.ko.gz`.
public enum ModuleName {
    /// The suffixes a module file may have, longest first.
    public static let fileSuffixes = [".ko.zst", ".ko.xz", ".ko.gz", ".ko"]

    /// The canonical spelling: every `-` becomes `_` (what the kernel itself does).
    public static func normalized(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    /// The normalized module name of a module file path, nil when it is not a module file.
    public static func fromPath(_ path: String) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let suffix = fileSuffixes.first(where: { base.hasSuffix($0) }) else { return nil }
        let stem = base.dropLast(suffix.count)
        return stem.isEmpty ? nil : normalized(String(stem))
    }

    /// The suffix after `.ko` that says how the file is compressed (`xz`, `zst`, `gz`), nil for plain `.ko`.
    public static func compression(ofPath path: String) -> String? {
        for suffix in ["zst", "xz", "gz"] where path.hasSuffix(".ko.\(suffix)") { return suffix }
        return nil
    }

    /// The path with its compression suffix removed (`….ko.xz` → `….ko`).
    public static func decompressedPath(_ path: String) -> String {
        guard let compression = compression(ofPath: path) else { return path }
        return String(path.dropLast(compression.count + 1))
    }
}
