/// A lease that must still be held by `holder` for a resource write to commit: the check runs in
/// the write's own transaction, so a process that lost the lease (it was partitioned from the
/// store, or its renewal went unanswered while the database restarted) cannot land a write after
/// its successor took over (docs/architecture.md "Store", fencing). Only the holder is compared,
/// never the clock: an expired lease that nobody else took is still this holder's to write under.
public struct WriteFence: Sendable, Hashable {
    public var lease: String
    public var holder: String

    public init(lease: String, holder: String) {
        self.lease = lease
        self.holder = holder
    }

    /// Throws ``StoreError/leaseLost(lease:holder:current:)`` unless `current` is this holder.
    package func check(current: String?) throws {
        guard current == holder else { throw StoreError.leaseLost(lease: lease, holder: holder, current: current) }
    }
}

extension Store {
    /// This store with every create, update and delete fenced by `fence`; reads, events and
    /// leases are unchanged. Shares the connection(s): closing either closes both.
    public func fenced(by fence: WriteFence) -> Store {
        Store(backend: backend, codec: codec, validate: validate, options: options, fence: fence)
    }
}
