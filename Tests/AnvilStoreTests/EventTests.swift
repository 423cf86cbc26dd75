import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct EventTests {
    let object = InvolvedObject(kind: "Server", name: "abc", uid: "u-1")

    @Test(arguments: StoreTestBackend.allCases) func identicalEventsWithinAnHourAreCounted(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            try await store.recordEvent(
                involved: object, type: .normal, reason: "PXEBooted", message: "served agent", source: "bootd")
            let first = clock.now
            clock.advance(by: 600)
            try await store.recordEvent(
                involved: object, type: .normal, reason: "PXEBooted", message: "served agent", source: "bootd")
            var events = try await store.events(kind: "Server", name: "abc")
            #expect(events.count == 1)
            #expect(events[0].count == 2)
            #expect(events[0].firstTimestamp == first)
            #expect(events[0].lastTimestamp == clock.now)
            #expect(events[0].involved == object)

            // A different message is a different event; so is the same one after the window.
            try await store.recordEvent(
                involved: object, type: .warning, reason: "PXEBooted", message: "served disk", source: "bootd")
            clock.advance(by: 3601)
            try await store.recordEvent(
                involved: object, type: .normal, reason: "PXEBooted", message: "served agent", source: "bootd")
            events = try await store.events(kind: "Server", name: "abc")
            #expect(events.map(\.message) == ["served agent", "served disk", "served agent"])
            #expect(events.map(\.count) == [2, 1, 1])
            #expect(events[1].type == .warning)
        }
    }

    /// A batch is one transaction; each record folds into a matching event with its count.
    @Test(arguments: StoreTestBackend.allCases) func batchesFoldWithTheirCounts(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let client = InvolvedObject(kind: "TFTPClient", name: "10.0.0.5")
            try await store.recordEvent(
                involved: client, type: .normal, reason: "BootFileFetched", message: "fetched a", source: "tftpd")
            try await store.recordEvents([
                EventRecord(involved: client, type: .normal, reason: "BootFileFetched", message: "fetched a", source: "tftpd", count: 40),
                EventRecord(involved: client, type: .normal, reason: "BootFileFetched", message: "fetched b", source: "tftpd", count: 3),
                EventRecord(involved: client, type: .normal, reason: "Ignored", message: "zero", source: "tftpd", count: 0),
            ])
            try await store.recordEvents([])
            let events = try await store.events(kind: "TFTPClient", name: "10.0.0.5")
            #expect(events.map(\.message) == ["fetched a", "fetched b"])
            #expect(events.map(\.count) == [41, 3])
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func filtersAndNewestLast(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            for index in 0..<3 {
                clock.advance(by: 1)
                try await store.recordEvent(
                    involved: InvolvedObject(kind: "Server", name: "s\(index)"), type: .normal, reason: "R",
                    message: "m\(index)", source: "test")
            }
            clock.advance(by: 1)
            try await store.recordEvent(
                involved: InvolvedObject(kind: "MetalMachine", namespace: "ns", name: "m"), type: .normal,
                reason: "R", message: "mm", source: "test")
            #expect(try await store.events().map(\.message) == ["m0", "m1", "m2", "mm"])
            #expect(try await store.events(kind: "Server").map(\.message) == ["m0", "m1", "m2"])
            #expect(try await store.events(namespace: "ns").map(\.message) == ["mm"])
            #expect(try await store.events(kind: "Server", name: "s1").map(\.message) == ["m1"])
            #expect(try await store.events(limit: 2).map(\.message) == ["m2", "mm"])
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func retentionBoundsCountAndAge(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        let retention = EventRetention(maxCount: 20, maxAge: 24 * 3600, pruneEvery: 5)
        try await withStore(backend, options: StoreOptions(clock: clock.source, eventRetention: retention)) { store, _ in
            try await store.recordEvent(
                involved: object, type: .normal, reason: "Old", message: "ancient", source: "test")
            clock.advance(by: 25 * 3600)
            for index in 0..<49 {
                try await store.recordEvent(
                    involved: object, type: .normal, reason: "New", message: "n\(index)", source: "test")
            }
            // 50 inserts with pruning every 5th: the 24 h-old one is gone and at most 20 remain.
            let events = try await store.events()
            #expect(events.count == 20)
            #expect(!events.contains { $0.reason == "Old" })
            #expect(events.last?.message == "n48")
            #expect(events.first?.message == "n29")
        }
    }
}
