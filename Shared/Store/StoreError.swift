import AnvilResources

/// Why the store refused an operation. Busy/locked conditions never appear here in normal
/// contention: the store waits (busy timeout) and retries a bounded number of times first.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(kind: String, namespace: String, name: String)
    case alreadyExists(kind: String, namespace: String, name: String)
    /// `expected` is the resourceVersion the caller sent, `actual` the stored one.
    case conflict(kind: String, namespace: String, name: String, expected: String, actual: String)
    /// A watcher asked for changes the feed no longer holds; it must re-list.
    case revisionCompacted(requested: Int64, oldestAvailable: Int64)
    /// The secrets key file is missing, unreadable or not 32 bytes.
    case secretKey(String)
    /// A stored row could not be decoded or decrypted.
    case corrupt(String)
    /// The database was migrated by a newer Anvil than this one.
    case schemaTooNew
    /// Any other SQLite failure, with SQLite's message.
    case database(String)
    /// A fenced write (``WriteFence``) refused: the lease is `current`'s now (nil: nobody's).
    case leaseLost(lease: String, holder: String, current: String?)

    public var description: String {
        switch self {
        case .notFound(let kind, let namespace, let name):
            return "\(Self.plural(kind)) \(Self.quoted(namespace, name)) not found"
        case .alreadyExists(let kind, let namespace, let name):
            return "\(Self.plural(kind)) \(Self.quoted(namespace, name)) already exists"
        case .conflict(let kind, let namespace, let name, let expected, let actual):
            return "conflict: \(kind.lowercased()) \(Self.quoted(namespace, name)) was modified "
                + "(resourceVersion \(actual), you had \(expected.isEmpty ? "none" : expected)); re-read and retry"
        case .revisionCompacted(let requested, let oldest):
            return "changes after revision \(requested) were compacted (oldest kept is \(oldest)); re-list and watch from the current revision"
        case .secretKey(let message):
            return "secrets key: \(message)"
        case .corrupt(let message):
            return "store corrupt: \(message)"
        case .schemaTooNew:
            return "the store was created by a newer Anvil; upgrade this program"
        case .database(let message):
            return "database error: \(message)"
        case .leaseLost(let lease, let holder, let current):
            return "write refused: lease \"\(lease)\" is \(current.map { "held by \($0)" } ?? "not held")"
                + ", not by \(holder) (this process lost it; its successor decides now)"
        }
    }

    /// `servers`, `secrets`… as kubectl prints them; unknown kinds get a naive plural.
    static func plural(_ kind: String) -> String {
        ResourceKinds.kind(kind)?.plural ?? kind.lowercased() + "s"
    }

    static func quoted(_ namespace: String, _ name: String) -> String {
        namespace.isEmpty ? "\"\(name)\"" : "\"\(namespace)/\(name)\""
    }
}
