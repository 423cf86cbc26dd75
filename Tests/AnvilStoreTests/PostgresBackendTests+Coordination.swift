@testable import AnvilStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// Leases, events and boot attempts on PostgreSQL, raced across two back-ends as across hosts.
extension PostgresBackendTests {
    // MARK: Leases, events, boot attempts

    @Test func leasesHaveOneWinnerExpireRenewAndRelease() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            for round in 0..<20 {
                let name = "race-\(round)"
                async let a = one.acquireLease(name: name, holder: "a", now: { 1000 }, seconds: 15)
                async let b = two.acquireLease(name: name, holder: "b", now: { 1000 }, seconds: 15)
                let (wonA, wonB) = try await (a, b)
                #expect(wonA != wonB, "round \(round): a \(wonA), b \(wonB)")
                let lease = try #require(try await one.lease(name: name))
                #expect(lease.holder == (wonA ? "a" : "b"))
            }

            #expect(try await one.lease(name: "r") == nil)
            #expect(try await one.acquireLease(name: "r", holder: "a", now: { 100 }, seconds: 15))
            #expect(try await two.acquireLease(name: "r", holder: "b", now: { 110 }, seconds: 15) == false)
            // Renewal moves the expiry and keeps acquiredAt.
            #expect(try await one.acquireLease(name: "r", holder: "a", now: { 110 }, seconds: 15))
            var lease = try #require(try await two.lease(name: "r"))
            #expect(lease.acquiredAt.timeIntervalSince1970 == 100 && lease.renewedAt.timeIntervalSince1970 == 110)
            #expect(lease.expiresAt.timeIntervalSince1970 == 125)
            #expect(try await two.acquireLease(name: "r", holder: "b", now: { 124.9 }, seconds: 15) == false)
            // Expired (expiresAt <= now): b takes over, with acquiredAt of its own.
            #expect(try await two.acquireLease(name: "r", holder: "b", now: { 125 }, seconds: 1.5))
            lease = try #require(try await one.lease(name: "r"))
            #expect(lease.holder == "b" && lease.acquiredAt.timeIntervalSince1970 == 125 && lease.expiresAt.timeIntervalSince1970 == 126.5)
            // Only the holder releases.
            #expect(try await one.releaseLease(name: "r", holder: "a") == false)
            #expect(try await two.releaseLease(name: "r", holder: "b"))
            #expect(try await one.lease(name: "r") == nil)
            #expect(try await one.acquireLease(name: "r", holder: "a", now: { 126 }, seconds: 15))
            await one.close()
            await two.close()
        }
    }

    @Test func eventsFoldWithinTheWindowAndLimitKeepsTheNewest() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            let retention = EventRetention(maxCount: 100, maxAge: 24 * 3600, pruneEvery: 1, dedupWindow: 60)
            let server = InvolvedObject(kind: "Server", name: "s1")
            @Sendable func record(_ reason: String, count: Int = 1, uid: String? = nil) -> EventRecord {
                var involved = server
                involved.uid = uid
                return EventRecord(involved: involved, type: .normal, reason: reason, message: "m", source: "test", count: count)
            }
            try await one.recordEvents([record("Booted", uid: "u1")], now: 1000, retention: retention)
            try await two.recordEvents([record("Booted", count: 2)], now: 1030, retention: retention)
            var events = try await one.events(kind: "Server", namespace: "", name: "s1", limit: nil)
            #expect(events.count == 1)
            #expect(events.first?.count == 3 && events.first?.involved.uid == "u1")
            #expect(events.first?.firstTimestamp.timeIntervalSince1970 == 1000)
            #expect(events.first?.lastTimestamp.timeIntervalSince1970 == 1030)
            // After the window: a row of its own.
            try await one.recordEvents([record("Booted"), record("Other", count: 0)], now: 1091, retention: retention)
            events = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil)
            #expect(events.map(\.count) == [3, 1])

            // Two hosts folding the same event at once: one row, every count kept.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    let backend = index.isMultiple(of: 2) ? one : two
                    group.addTask { try await backend.recordEvents([record("Race")], now: 2000, retention: retention) }
                }
                try await group.waitForAll()
            }
            let race = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil).filter { $0.reason == "Race" }
            #expect(race.map(\.count) == [10])

            for index in 0..<5 {
                try await one.recordEvents([record("Step \(index)")], now: 3000 + Double(index), retention: retention)
            }
            let newest = try await one.events(kind: "Server", namespace: nil, name: nil, limit: 2)
            #expect(newest.map(\.reason) == ["Step 3", "Step 4"])
            #expect(try await one.events(kind: "Server", namespace: nil, name: "other", limit: nil).isEmpty)
            #expect(try await one.events(kind: nil, namespace: nil, name: nil, limit: 0).isEmpty)

            // Pruning: older than maxAge goes at the next insert (pruneEvery 1).
            let short = EventRetention(maxCount: 3, maxAge: 100, pruneEvery: 1, dedupWindow: 60)
            try await one.recordEvents([record("Late")], now: 3050, retention: short)
            let kept = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil).map(\.reason)
            #expect(kept == ["Step 3", "Step 4", "Late"])
            await one.close()
            await two.close()
        }
    }

    @Test func bootAttemptsStartResumeConflictAndAreUsedOnce() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            let now = Date(timeIntervalSince1970: 5000.7)
            let start = try await one.startBootAttempt(
                uuid: "u1", address: "10.0.0.5", mac: "aa", now: now, windowSeconds: 300, nonce: "0000abcd")
            guard case .started(let attempt) = start else { Issue.record("\(start)"); return }
            #expect(attempt.nonce == "0000abcd" && attempt.issuedAt.timeIntervalSince1970 == 5000)
            #expect(try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.5", mac: nil, now: now + 10, windowSeconds: 300, nonce: "ffffffff") == .resumed(attempt))
            #expect(try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.6", mac: "aa", now: now + 10, windowSeconds: 300, nonce: "ffffffff") == .conflict(attempt))
            #expect(try await two.useBootAttempt(uuid: "u1", nonce: "ffffffff", address: "10.0.0.5", now: 5011) == .notCurrent)
            #expect(try await two.useBootAttempt(uuid: "nobody", nonce: "0000abcd", address: "10.0.0.5", now: 5011) == .notCurrent)

            let uses = try await withThrowingTaskGroup(of: BootAttemptUse.self) { group in
                for index in 0..<16 {
                    let backend = index.isMultiple(of: 2) ? one : two
                    group.addTask {
                        try await backend.useBootAttempt(uuid: "u1", nonce: "0000abcd", address: "10.0.0.5", now: 5020)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(uses.filter { $0 == .first }.count == 1)
            let used = try #require(try await one.bootAttempt(uuid: "u1"))
            #expect(used.configFetchedAt?.timeIntervalSince1970 == 5020 && used.configFetchedFrom == "10.0.0.5")
            #expect(uses.filter { $0 == .again(used) }.count == 15)

            // A used attempt is not live: the next start replaces it.
            let again = try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.6", mac: nil, now: now + 30, windowSeconds: 300, nonce: "12345678")
            guard case .started(let next) = again else { Issue.record("\(again)"); return }
            #expect(next.configFetchedAt == nil && next.address == "10.0.0.6")
            #expect(try await one.bootAttempt(uuid: "u1") == next)
            // An expired one too, even from another address.
            let late = try await one.startBootAttempt(
                uuid: "u1", address: "10.0.0.7", mac: nil, now: now + 400, windowSeconds: 300, nonce: "87654321")
            guard case .started = late else { Issue.record("\(late)"); return }
            await one.close()
            await two.close()
        }
    }
}
