import Synchronization
import Testing
@testable import AnvilAgent

@Suite struct RetryPolicyTests {
    struct Flaky: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    @Test func delaysDoubleUpToTheCap() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(30))
        #expect((1...7).map { policy.delay(afterAttempt: $0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
    }

    @Test func retriesUntilSuccessLoggingEachFailure() async throws {
        let lines = Mutex<[String]>([])
        let slept = Mutex<[Duration]>([])
        let attempts = Mutex(0)
        let value = try await RetryPolicy(deadline: nil).run("register", log: { line in lines.withLock { $0.append(line) } }, sleep: { wait in slept.withLock { $0.append(wait) } }) {
            let attempt = attempts.withLock { value -> Int in
                value += 1
                return value
            }
            if attempt < 3 { throw AgentAPIError(.status(500), "register: HTTP 500: boom") }
            return 7
        }
        #expect(value == 7)
        #expect(slept.withLock { $0 } == [.seconds(1), .seconds(2)])
        #expect(lines.withLock { $0 } == [
            "register failed: register: HTTP 500: boom; retrying in 1 s (attempt 2)",
            "register failed: register: HTTP 500: boom; retrying in 2 s (attempt 3)",
        ])
    }

    @Test func aRefusedRequestIsNotRetried() async {
        let lines = Mutex<[String]>([])
        await #expect(throws: AgentAPIError.self) {
            try await RetryPolicy().run("register", log: { line in lines.withLock { $0.append(line) } }, sleep: { _ in Issue.record("slept") }) { () async throws -> Int in
                throw AgentAPIError(.status(403), "register: HTTP 403: machine token does not match")
            }
        }
        #expect(lines.withLock { $0 } == ["register failed: register: HTTP 403: machine token does not match; not retrying (the request itself was refused)"])
    }

    @Test func theDeadlineEndsTheRetries() async {
        let now = Mutex(ContinuousClock.now)
        let lines = Mutex<[String]>([])
        await #expect(throws: Flaky.self) {
            try await RetryPolicy(initialDelay: .seconds(10), maximumDelay: .seconds(10), deadline: .seconds(25)).run(
                "register", log: { line in lines.withLock { $0.append(line) } },
                sleep: { wait in now.withLock { $0 += wait } }, clock: { now.withLock { $0 } }
            ) { () async throws -> Int in throw Flaky() }
        }
        #expect(lines.withLock { $0 }.last == "register failed: connection refused; giving up after 3 attempts")
    }

    @Test func retryability() {
        #expect(AgentAPIError(.unreachable, "").isRetryable)
        #expect(AgentAPIError(.malformedAnswer, "").isRetryable)
        #expect(AgentAPIError(.status(503), "").isRetryable)
        #expect(AgentAPIError(.status(429), "").isRetryable)
        #expect(!AgentAPIError(.status(404), "").isRetryable)
        #expect(!AgentAPIError(.status(422), "").isRetryable)
    }
}
