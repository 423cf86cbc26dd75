/// Archive path rules: relative, normalized, within the kernel's PATH_MAX.
enum CPIOPath {
    /// The kernel's initramfs unpacker rejects names of PATH_MAX (4096) bytes or more, NUL included.
    static let maximumNameBytes = 4095
    static let maximumComponentBytes = 255

    /// The path's components after checking it is relative and has no `.`, `..` or empty parts.
    static func components(of path: String) throws -> [String] {
        guard !path.isEmpty else { throw CPIOError.invalidPath(path, reason: "empty") }
        guard !path.hasPrefix("/") else { throw CPIOError.invalidPath(path, reason: "absolute; archive paths are relative to /") }
        guard !path.utf8.contains(0) else { throw CPIOError.invalidPath(path, reason: "contains a NUL byte") }
        let bytes = path.utf8.count
        guard bytes <= maximumNameBytes else { throw CPIOError.nameTooLong(path, bytes: bytes) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            switch part {
            case "": throw CPIOError.invalidPath(path, reason: "empty component (double or trailing /)")
            case ".", "..": throw CPIOError.invalidPath(path, reason: "\"\(part)\" component")
            default:
                if part.utf8.count > maximumComponentBytes { throw CPIOError.nameTooLong(path, bytes: part.utf8.count) }
            }
        }
        return parts
    }

    /// Orders paths component by component, bytewise, so a directory comes right before its children.
    static func precedes(_ left: [String], _ right: [String]) -> Bool {
        for (a, b) in zip(left, right) where a != b {
            return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        return left.count < right.count
    }
}
