/// Bounds on manifest text, so a hostile or broken file is refused at once instead of
/// exhausting memory or time (a YAML "billion laughs" expands 10^9 nodes from 1 KiB).
public enum ManifestLimits {
    /// The largest manifest read, in bytes (3 MiB: twice etcd's 1.5 MiB object limit).
    public static let maximumBytes = 3 * 1024 * 1024
    /// The most nodes one YAML document may produce through aliases (`*name`): real manifests
    /// reuse a few small anchored blocks; an alias bomb needs millions.
    public static let maximumAliasExpandedNodes = 10_000

    /// Throws when `text` is larger than ``maximumBytes``, naming its size and the limit.
    static func checkSize(_ text: String) throws {
        let size = text.utf8.count
        guard size <= maximumBytes else {
            throw ResourceError.unparsable(
                "manifest is \(size) bytes; at most \(maximumBytes) bytes (3 MiB) are accepted")
        }
    }
}
