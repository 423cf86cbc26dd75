import Testing
@testable import AnvilDaemon

/// How a watcher waits: woken by a newer revision, else by its poll timeout, else by cancellation.
/// The waits that must end early are given an hour: a test that finishes within its time limit
/// proves it (wall-clock bounds are unreliable under a loaded test run).
@Suite(.timeLimit(.minutes(1))) struct StoreChangeSignalTests {
    @Test func aNewerRevisionWakesAWaiterAtOnce() async {
        let signal = StoreChangeSignal()
        async let waited: Void = signal.wait(after: 0, timeout: .seconds(3600))
        try? await Task.sleep(for: .milliseconds(50))
        signal.changed(revision: 7)
        await waited
        #expect(signal.latest == 7)
    }

    @Test func aRevisionAlreadySignalledReturnsWithoutWaiting() async {
        let signal = StoreChangeSignal()
        signal.changed(revision: 9)
        await signal.wait(after: 3, timeout: .seconds(3600))
    }

    @Test func nothingNewWaitsForThePoll() async {
        let signal = StoreChangeSignal()
        signal.changed(revision: 4)
        // An older or equal revision is not news.
        signal.changed(revision: 4)
        signal.changed(revision: 2)
        #expect(signal.latest == 4)
        let started = ContinuousClock.now
        await signal.wait(after: 4, timeout: .milliseconds(200))
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func cancellationEndsTheWait() async {
        let signal = StoreChangeSignal()
        let waiter = Task { await signal.wait(after: 0, timeout: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
    }
}
