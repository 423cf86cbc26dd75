/// Names waiting to be reconciled, in arrival order, each at most once, and never two workers
/// on one name (client-go's workqueue): a name added while it is worked on runs again after.
/// At most `limit` names are worked on at once.
actor ReconcileQueue {
    let limit: Int
    /// Yields whenever there may be work to take.
    nonisolated let wakeups: AsyncStream<Void>
    private nonisolated let wake: AsyncStream<Void>.Continuation
    private var waiting: [String] = []
    private var active: Set<String> = []
    private var again: Set<String> = []

    init(limit: Int) {
        self.limit = max(1, limit)
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func add(_ name: String) {
        if active.contains(name) {
            again.insert(name)
        } else if !waiting.contains(name) {
            waiting.append(name)
            wake.yield()
        }
    }

    /// The next name to work on, if any is waiting and a worker slot is free.
    func take() -> String? {
        guard active.count < limit, !waiting.isEmpty else { return nil }
        let name = waiting.removeFirst()
        active.insert(name)
        return name
    }

    func done(_ name: String) {
        active.remove(name)
        if again.remove(name) != nil, !waiting.contains(name) { waiting.append(name) }
        wake.yield()
    }
}
