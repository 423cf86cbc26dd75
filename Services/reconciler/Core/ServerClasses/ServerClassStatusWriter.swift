import AnvilResources
import AnvilStore

/// Writes a class's status in one read-modify-write transaction (`Store.mutate`), and nothing at
/// all when the stored status already equals it.
struct ServerClassStatusWriter: Sendable {
    let store: Store

    enum Outcome: Sendable, Equatable {
        /// The store holds the status now (written, or it already did).
        case stored
        /// The class is gone, or was deleted and created again under its name.
        case gone
    }

    private struct Replaced: Error {}

    func write(className name: String, uid: String?, status: ServerClassStatus) async throws -> Outcome {
        do {
            _ = try await store.mutate(kind: ServerClass.resourceKind.kind, name: name) { resource in
                if let uid, resource.metadata.uid != uid { throw Replaced() }
                guard ServerClassStatusJSON.decode(resource.status) != status else { return }
                resource.status = ServerClassStatusJSON.encode(status)
            }
            return .stored
        } catch StoreError.notFound {
            return .gone
        } catch is Replaced {
            return .gone
        }
    }
}
