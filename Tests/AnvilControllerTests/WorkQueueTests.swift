import Testing
@testable import AnvilController

@Suite(.timeLimit(.minutes(1))) struct WorkQueueTests {
    @Test func eachKeyWaitsOnceInArrivalOrder() async {
        let queue = WorkQueue()
        for key in ["b", "a", "b", "c", "a"] { await queue.add(key) }
        #expect(await queue.count == 3)
        #expect(await queue.next() == "b")
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "c")
    }

    @Test func aKeyAddedWhileActiveRunsAgainAfterAndNeverTwiceAtOnce() async {
        let queue = WorkQueue()
        await queue.add("k")
        #expect(await queue.next() == "k")
        await queue.add("k")
        #expect(await queue.count == 0, "not handed out while active")
        await queue.done("k")
        #expect(await queue.count == 1)
        #expect(await queue.next() == "k")
        await queue.done("k")
        #expect(await queue.count == 0)
    }

    @Test func aWaitingWorkerGetsTheNextKey() async {
        let queue = WorkQueue()
        async let taken = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.add("x")
        #expect(await taken == "x")
    }

    @Test func delayedKeysComeWhenDueAndSoonerWins() async throws {
        let queue = WorkQueue()
        await queue.add("slow", after: .seconds(3600))
        await queue.add("fast", after: .milliseconds(50))
        await queue.add("fast", after: .seconds(3600))  // later than already due: ignored
        #expect(await queue.count == 0)
        #expect(await queue.delayedCount == 2)
        #expect(await queue.next() == "fast")
        await queue.add("slow")  // added now: the delay is dropped
        #expect(await queue.delayedCount == 0)
        #expect(await queue.next() == "slow")
        await queue.add("gone", after: .seconds(3600))
        await queue.close()
        #expect(await queue.delayedCount == 0)
    }

    @Test func closingEndsWaitingWorkers() async {
        let queue = WorkQueue()
        async let taken = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.close()
        #expect(await taken == nil)
        #expect(await queue.next() == nil)
    }
}

@Suite struct KeyedBackoffTests {
    @Test func doublesPerKeyUpToTheMaximumAndForgetsOnSuccess() async {
        let backoff = KeyedBackoff(initial: .seconds(1), maximum: .seconds(5))
        #expect(await backoff.failed("a") == .seconds(1))
        #expect(await backoff.failed("a") == .seconds(2))
        #expect(await backoff.failed("b") == .seconds(1))
        #expect(await backoff.failed("a") == .seconds(4))
        #expect(await backoff.failed("a") == .seconds(5))
        #expect(await backoff.failureCount("a") == 4)
        await backoff.succeeded("a")
        #expect(await backoff.failureCount("a") == 0)
        #expect(await backoff.failed("a") == .seconds(1))
    }

    /// With the failing lane full, a key that is not failing goes before failing ones that
    /// arrived first; a failing key finishing frees its place for the next failing one.
    @Test func failingKeysTakeAtMostTheirLane() async {
        let queue = WorkQueue(failingLaneWorkers: 2)
        for key in ["f1", "f2", "f3"] {
            await queue.add(key)
            #expect(await queue.next() == key)
            await queue.done(key, failed: true)
        }
        #expect(await queue.failingCount == 3)
        for key in ["f1", "f2", "f3", "h1", "h2"] { await queue.add(key) }
        #expect(await queue.next() == "f1")
        #expect(await queue.next() == "f2")
        #expect(await queue.next() == "h1", "the lane is full: the healthy key goes first")
        #expect(await queue.next() == "h2")
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.done("f1", failed: false)  // it succeeded: out of the lane, and its place is free
        #expect(await waiting == "f3")
        #expect(await queue.failingCount == 2)
    }

    @Test func withoutALaneFailingKeysKeepArrivalOrder() async {
        let queue = WorkQueue()
        for key in ["f1", "f2"] {
            await queue.add(key)
            _ = await queue.next()
            await queue.done(key, failed: true)
        }
        for key in ["f1", "f2", "h"] { await queue.add(key) }
        #expect(await queue.next() == "f1")
        #expect(await queue.next() == "f2")
        #expect(await queue.next() == "h")
    }
}
