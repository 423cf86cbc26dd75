import AnvilResources
import Testing
@testable import ReconcilerCore

/// Failed environments wait 5 s doubling to 5 min while their spec stays the same; a changed
/// spec is tried at once; each failure's retry is handed to the queue once.
@Suite struct RetryBackoffTests {
    static func key(_ url: String = "http://mirror/vmlinuz", uid: String? = "u1") -> EnvironmentAssetsKey {
        var metadata = ObjectMeta(name: "talos")
        metadata.uid = uid
        return EnvironmentAssetsKey(Environment(metadata: metadata, spec: EnvironmentSpec(kernel: Kernel(url: url))))
    }

    let start = ContinuousClock.now

    @Test func delaysDoubleFromFiveSecondsToFiveMinutes() async {
        let backoff = RetryBackoff()
        var delays: [Duration] = []
        for _ in 0..<9 { delays.append(await backoff.failed("talos", key: Self.key(), now: start)) }
        #expect(delays == ([5, 10, 20, 40, 80, 160, 300, 300, 300] as [Int]).map { Duration.seconds($0) })
    }

    @Test func aNameWaitsUntilItsRetryIsDue() async {
        let backoff = RetryBackoff()
        let delay = await backoff.failed("talos", key: Self.key(), now: start)
        #expect(await backoff.isWaiting("talos", key: Self.key(), now: start))
        #expect(await backoff.isWaiting("talos", key: Self.key(), now: start + delay - .milliseconds(1)))
        #expect(await !backoff.isWaiting("talos", key: Self.key(), now: start + delay))
        // Other names are not affected.
        #expect(await !backoff.isWaiting("other", key: Self.key(), now: start))
    }

    @Test func aChangedSpecIsNotWaitingAndStartsTheBackoffAfresh() async {
        let backoff = RetryBackoff()
        _ = await backoff.failed("talos", key: Self.key(), now: start)
        _ = await backoff.failed("talos", key: Self.key(), now: start)
        // An operator's fix (new URL) or a re-created Environment (new uid) is tried at once.
        #expect(await !backoff.isWaiting("talos", key: Self.key("http://fixed/vmlinuz"), now: start))
        #expect(await !backoff.isWaiting("talos", key: Self.key(uid: "u2"), now: start))
        // And if the new spec fails too, its backoff starts at the first step.
        #expect(await backoff.failed("talos", key: Self.key("http://fixed/vmlinuz"), now: start) == .seconds(5))
    }

    @Test func eachNameHasItsOwnDueTime() async {
        let backoff = RetryBackoff()
        _ = await backoff.failed("b", key: Self.key(), now: start)
        _ = await backoff.failed("a", key: Self.key(), now: start)
        #expect(await backoff.dueTime(for: "a") == start + .seconds(5))
        let second = await backoff.failed("a", key: Self.key(), now: start + .seconds(5))
        #expect(second == .seconds(10))
        #expect(await backoff.dueTime(for: "a") == start + .seconds(15))
        #expect(await backoff.dueTime(for: "b") == start + .seconds(5))
        #expect(await backoff.dueTime(for: "c") == nil)
    }

    @Test func succeededClearsTheBackoff() async {
        let backoff = RetryBackoff()
        _ = await backoff.failed("talos", key: Self.key(), now: start)
        _ = await backoff.failed("talos", key: Self.key(), now: start)
        await backoff.succeeded("talos")
        #expect(await !backoff.isWaiting("talos", key: Self.key(), now: start))
        #expect(await backoff.dueTime(for: "talos") == nil)
        // The next failure is a first failure again.
        #expect(await backoff.failed("talos", key: Self.key(), now: start) == .seconds(5))
    }

    @Test func customInitialAndMaximum() async {
        let backoff = RetryBackoff(initial: .milliseconds(100), maximum: .milliseconds(250))
        var delays: [Duration] = []
        for _ in 0..<4 { delays.append(await backoff.failed("x", key: Self.key(), now: start)) }
        // The maximum caps the delay even when it is not a doubling of the initial one.
        #expect(delays == ([100, 200, 250, 250] as [Int]).map { Duration.milliseconds($0) })
    }
}
