import AnvilStore
import Logging
import Testing
@testable import AnvilDaemon

/// The one event path: batched, folded, in first-seen order, with the daemon or a component as source.
@Suite struct EventBatchRecorderTests {
    @Test func aBatchKeepsOrderFoldsRepeatsAndNamesItsSource() async throws {
        try await withTemporaryStore { store, _ in
            let recorder = EventBatchRecorder(store: store, source: "testd", logger: Logger(label: "test"))
            let server = InvolvedObject(kind: "Server", name: "s1")
            // More entries than a dictionary would keep in order by chance.
            for index in 0..<20 {
                recorder.record(.init(involved: server, type: .normal, reason: "Step", message: "step \(index)"))
            }
            for _ in 0..<3 {
                recorder.record(.init(involved: server, type: .warning, reason: "Again", message: "same", source: "testd/part"))
            }
            await recorder.flush()
            let events = try await store.events(kind: "Server", namespace: "", name: "s1")
            #expect(events.map(\.message) == (0..<20).map { "step \($0)" } + ["same"])
            #expect(events.last?.count == 3)
            #expect(events.last?.source == "testd/part")
            #expect(events.first?.source == "testd")
            // Nothing pending: a second flush writes nothing.
            await recorder.flush()
            #expect(try await store.events(kind: "Server", namespace: "", name: "s1").count == 21)
        }
    }
}
