import Foundation

/// The digest of each asset file on disk, computed once per process (and again whenever the
/// file's size, mtime or inode changes): a restart re-verifies every asset against its recorded
/// sha512, while the periodic resync costs a stat per file, not a re-read.
actor AssetVerificationCache {
    private struct Identity: Equatable {
        let size: Int64
        let modified: Date
        let inode: UInt64
    }

    private var digests: [String: (identity: Identity, sha512: String)] = [:]

    /// The file's sha512, or nil when there is no such file.
    func digest(ofFileAt path: String) async throws -> String? {
        guard let identity = Self.identity(path) else {
            digests[path] = nil
            return nil
        }
        if let known = digests[path], known.identity == identity { return known.sha512 }
        guard let sha512 = try await SHA512Hex.ofFile(at: path) else { return nil }
        // Only trust the digest if the file did not change while it was read.
        if Self.identity(path) == identity { digests[path] = (identity, sha512) }
        return sha512
    }

    /// Records the digest of a file just written (so it is not read again).
    func remember(path: String, sha512: String) {
        if let identity = Self.identity(path) { digests[path] = (identity, sha512) }
    }

    func forget(directory: String) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        digests = digests.filter { !$0.key.hasPrefix(prefix) }
    }

    private static func identity(_ path: String) -> Identity? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value,
              let modified = attributes[.modificationDate] as? Date
        else { return nil }
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return Identity(size: size, modified: modified, inode: inode)
    }
}
