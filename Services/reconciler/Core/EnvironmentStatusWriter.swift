import AnvilResources
import AnvilStore

/// Writes asset conditions with `Store.mutate`, which re-reads the object in the same write
/// transaction: a decision made for an older spec, or for an Environment since deleted and
/// re-created, is never written over a newer one.
struct EnvironmentStatusWriter: Sendable {
    enum Decision: Sendable {
        /// Not ready for whatever the spec names now, and why.
        case notReady(AssetConditions.NotReadyReason)
        /// Ready, written only while the condition still vouches for the spec's asset.
        case ready(AssetCondition)
    }

    /// The Environment was deleted, or deleted and re-created, while its assets were fetched.
    struct Superseded: Error {}

    let store: Store

    /// Applies `decisions` to the Environment with `uid`, keeps the other assets' conditions that
    /// still match, and drops stale ones. No revision is taken when nothing changes.
    func record(name: String, uid: String?, _ decisions: [EnvironmentAssetKind: Decision]) async throws {
        do {
            _ = try await store.mutate(kind: Environment.resourceKind.kind, name: name) { resource in
                var environment = try Environment(resource)
                guard environment.metadata.uid == uid, environment.metadata.deletionTimestamp == nil else {
                    throw Superseded()
                }
                var decided: [EnvironmentAssetKind: AssetCondition] = [:]
                for (kind, decision) in decisions {
                    guard let asset = kind.spec(in: environment.spec) else { continue }
                    switch decision {
                    case .notReady(let why):
                        decided[kind] = AssetConditions.notReady(asset, why)
                    case .ready(let condition) where condition.matches(asset):
                        decided[kind] = condition
                    case .ready:
                        continue
                    }
                }
                let existing = environment.status.conditions ?? []
                let conditions = AssetConditions.merged(existing, spec: environment.spec, decided: decided)
                guard conditions != existing else { return }
                environment.status.conditions = conditions.isEmpty ? nil : conditions
                resource.body["status"] = environment.resource.body["status"]
            }
        } catch StoreError.notFound {
            // Deleted meanwhile; the change feed brings the deletion.
            throw Superseded()
        }
    }
}
