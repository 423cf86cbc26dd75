/// Keys waiting to be reconciled (client-go's workqueue): each key waits at most once, in
/// arrival order; a key is never handed to two workers at once, and one added while it is worked
/// on runs again after; a key can be added for later (requeue-after, retry backoff).
///
/// Failing keys have a lane of their own: a key whose last reconcile failed (``done(_:failed:)``;
/// a server behind a frozen BMC waits seconds for each power command to time out) is handed out
/// only while fewer than `failingLaneWorkers` failing keys are being worked on; past that, the next
/// key that is not failing goes first. A hundred broken BMCs cannot take every worker from the
/// healthy fleet (docs/architecture.md "How to add… a controller").
public actor WorkQueue {
    /// Arrival order; `head` is the next to hand out (an index, so taking one is O(1)).
    private var waiting: [String] = []
    private var head = 0
    private var queued: Set<String> = []
    private var active: Set<String> = []
    private var again: Set<String> = []
    /// Keys queued for later: when, and the timer that will queue them.
    private var later: [String: (due: ContinuousClock.Instant, timer: Task<Void, Never>)] = [:]
    private var workers: [CheckedContinuation<String?, Never>] = []
    private var closed = false
    /// Keys whose last reconcile failed, and those of them being worked on now.
    private var failing: Set<String> = []
    private var activeFailing: Set<String> = []
    private let failingLaneWorkers: Int

    /// `failingLaneWorkers`: how many failing keys may be worked on at once (no limit by default).
    public init(failingLaneWorkers: Int = .max) {
        self.failingLaneWorkers = max(1, failingLaneWorkers)
    }

    /// Queues `key` now (a later due time for it is dropped: now is sooner).
    public func add(_ key: String) {
        later.removeValue(forKey: key)?.timer.cancel()
        if active.contains(key) {
            again.insert(key)
        } else if !queued.contains(key) {
            queued.insert(key)
            waiting.append(key)
            handOut()
        }
    }

    /// Queues `key` once `delay` has passed, unless it is queued sooner.
    public func add(_ key: String, after delay: Duration) {
        guard !closed else { return }
        let due = ContinuousClock.now + delay
        if let current = later[key], current.due <= due { return }
        later[key]?.timer.cancel()
        let timer = Task { [weak self] in
            try? await Task.sleep(until: due)
            guard !Task.isCancelled else { return }
            await self?.fire(key, due: due)
        }
        later[key] = (due, timer)
    }

    private func fire(_ key: String, due: ContinuousClock.Instant) {
        guard later[key]?.due == due else { return }
        add(key)
    }

    /// Keys waiting for their time.
    public var delayedCount: Int { later.count }

    /// The next key to work on; waits for one. Nil once the queue is closed.
    public func next() async -> String? {
        if let key = takeWaiting() { return key }
        if closed { return nil }
        return await withCheckedContinuation { workers.append($0) }
    }

    /// The worker finished `key`: it may be handed out again. `failed`: whether that reconcile
    /// failed, which puts the key in the failing lane (or takes it out) until the next one.
    public func done(_ key: String, failed: Bool = false) {
        active.remove(key)
        if failed { failing.insert(key) } else { failing.remove(key) }
        let freedLaneWorker = activeFailing.remove(key) != nil
        if again.remove(key) != nil { add(key) }
        if freedLaneWorker { handOut() }
    }

    /// Keys in the failing lane (their last reconcile failed).
    public var failingCount: Int { failing.count }

    /// Ends every ``next()`` with nil; what was queued is dropped.
    public func close() {
        closed = true
        for (_, entry) in later { entry.timer.cancel() }
        later.removeAll()
        let idle = workers
        workers.removeAll()
        for worker in idle { worker.resume(returning: nil) }
    }

    /// Keys queued now, not counting active or delayed ones.
    public var count: Int { waiting.count - head }

    private func takeWaiting() -> String? {
        guard head < waiting.count else { return nil }
        var index = head
        if activeFailing.count >= failingLaneWorkers {
            // The failing lane is full: the first waiting key that is not failing, if any.
            while index < waiting.count && failing.contains(waiting[index]) { index += 1 }
            guard index < waiting.count else { return nil }
        }
        let key = waiting[index]
        if index == head {
            head += 1
            if head == waiting.count || head > 1024 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
        } else {
            waiting.remove(at: index)
        }
        queued.remove(key)
        active.insert(key)
        if failing.contains(key) { activeFailing.insert(key) }
        return key
    }

    private func handOut() {
        while !workers.isEmpty, let key = takeWaiting() {
            workers.removeFirst().resume(returning: key)
        }
    }
}
