import AnvilPower
import Testing
@testable import BMCDCore

/// `Deadline.run`: the caller is answered by the timeout at the latest, the operation is cancelled
/// then, and whichever finishes first resumes the caller exactly once.
@Suite struct DeadlineTests {
    /// Set by an operation when it sees its cancellation.
    actor Flag {
        private(set) var isSet = false
        func set() { isSet = true }

        /// Waits up to `limit` for the flag.
        func waitUntilSet(limit: Duration = .seconds(5)) async -> Bool {
            let end = ContinuousClock.now + limit
            while !isSet, ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(5)) }
            return isSet
        }
    }

    struct Failure: Error, Equatable {}

    @Test func aFastOperationsResultIsReturned() async throws {
        let value = try await Deadline.run(.seconds(5), what: "power status") { 42 }
        #expect(value == 42)
    }

    @Test func aFastOperationsErrorIsThrownUnchanged() async {
        await #expect(throws: Failure()) {
            try await Deadline.run(.seconds(5), what: "power status") { () async throws -> Int in throw Failure() }
        }
    }

    @Test func aSlowOperationIsCancelledAndTheCallerToldTheDeadlinePassed() async throws {
        let cancelled = Flag()
        let start = ContinuousClock.now
        do {
            _ = try await Deadline.run(.milliseconds(50), what: "power on") { () async throws -> Int in
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    await cancelled.set()
                    throw error
                }
                return 1
            }
            Issue.record("the deadline did not fire")
        } catch let error as PowerError {
            guard case .deadlineExceeded(let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.hasPrefix("power on did not finish within"), "\(message)")
        }
        // Answered by the deadline, not when the hour-long operation would have ended. The bound
        // is wide on purpose: a loaded CI machine can stall the whole test process for seconds.
        #expect(ContinuousClock.now - start < .seconds(600))
        // The operation was cancelled; its late end resumes nothing (a second resume would trap).
        #expect(await cancelled.waitUntilSet())
    }
}
