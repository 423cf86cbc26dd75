import Testing
@testable import ReconcilerCore

/// The work queue's promises (client-go's workqueue): each waiting name once, never two workers
/// on one name, a name changed while worked on runs again, and at most `limit` at once.
@Suite struct ReconcileQueueTests {
    @Test func waitingNamesAreDedupedAndTakenInArrivalOrder() async {
        let queue = ReconcileQueue(limit: 10)
        await queue.add("b")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.take() == "b")
        #expect(await queue.take() == "a")
        // The second "b" was folded into the first: nothing is left.
        #expect(await queue.take() == nil)
    }

    @Test func aNameIsNeverHandedToTwoWorkers() async {
        let queue = ReconcileQueue(limit: 10)
        await queue.add("a")
        #expect(await queue.take() == "a")
        // Added while active: held back, not offered to a second worker.
        await queue.add("a")
        #expect(await queue.take() == nil)
        await queue.done("a")
        #expect(await queue.take() == "a")
    }

    @Test func aNameAddedWhileActiveRunsOnceMoreAfterDone() async {
        let queue = ReconcileQueue(limit: 10)
        await queue.add("a")
        _ = await queue.take()
        // Several changes during one run cost one more run, not several.
        await queue.add("a")
        await queue.add("a")
        await queue.done("a")
        #expect(await queue.take() == "a")
        await queue.done("a")
        #expect(await queue.take() == nil)
    }

    @Test func doneWithoutChangesDoesNotRequeue() async {
        let queue = ReconcileQueue(limit: 10)
        await queue.add("a")
        _ = await queue.take()
        await queue.done("a")
        #expect(await queue.take() == nil)
    }

    @Test func requeuedNameGoesBehindThoseAlreadyWaiting() async {
        let queue = ReconcileQueue(limit: 1)
        await queue.add("a")
        _ = await queue.take()
        await queue.add("b")
        await queue.add("a")
        await queue.done("a")
        #expect(await queue.take() == "b")
    }

    @Test func atMostLimitNamesAreActive() async {
        let queue = ReconcileQueue(limit: 2)
        for name in ["a", "b", "c"] { await queue.add(name) }
        #expect(await queue.take() == "a")
        #expect(await queue.take() == "b")
        // "c" waits for a free slot.
        #expect(await queue.take() == nil)
        await queue.done("a")
        #expect(await queue.take() == "c")
    }

    @Test func aLimitBelowOneStillAllowsOneWorker() async {
        let queue = ReconcileQueue(limit: 0)
        #expect(await queue.limit == 1)
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.take() == "a")
        #expect(await queue.take() == nil)
    }

    @Test func addingWakesTheController() async {
        let queue = ReconcileQueue(limit: 1)
        await queue.add("a")
        var wakeups = queue.wakeups.makeAsyncIterator()
        // The stream buffers the newest wake-up, so this returns at once.
        #expect(await wakeups.next() != nil)
    }
}
