import AnvilResources
import AnvilStore

extension ServerClassReconciler {
    /// Creates the `any` class (no qualifiers, no selector: every accepted, uncordoned server) if
    /// it is missing, as Sidero does at start. An existing one is never touched, even if an
    /// operator changed it. True when this call created it.
    @discardableResult
    public static func ensureAnyClass(store: Store) async throws -> Bool {
        let kind = ServerClass.resourceKind.kind
        if try await store.find(kind: kind, name: ServerClass.anyName) != nil { return false }
        do {
            _ = try await store.create(ServerClass(metadata: ObjectMeta(name: ServerClass.anyName)).resource)
            return true
        } catch StoreError.alreadyExists {
            // Someone (an operator's apply, another reconciler) won the race: theirs stands.
            return false
        }
    }
}
