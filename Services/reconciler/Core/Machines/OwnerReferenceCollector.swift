import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// Kubernetes' garbage collector for the kinds Anvil creates on an owner's behalf: a
/// MetalMachine or ServerBinding whose owners are all gone is deleted (finalizers honoured, so a
/// machine still releases its server first); one that keeps a live owner only loses the
/// references to the dead ones. An owner is gone when no object of its kind and name exists, or
/// one exists with another uid (it was deleted and re-created). Owners of kinds Anvil does not
/// serve (a Cluster API `Machine`) cannot be checked and count as alive. A ServerBinding's
/// `metalMachineRef`, when it carries a uid, counts as an owner too: a binding left by a machine
/// that is gone frees its server. Deleting a MetalMachineTemplate thus deletes the machines
/// `anvil scale` made from it, and their bindings.
///
/// Keys are `Kind:namespace/name` (`ServerBinding:<uuid>`).
public struct OwnerReferenceCollector: Reconciler {
    public let name = "owner-references"
    static let source = "reconciler/owner-references"
    static let dependentKinds = [MetalMachine.resourceKind, ServerBinding.resourceKind]

    let store: Store
    let events: EventBatchRecorder
    let logger: Logger
    let index = OwnerDependents()

    public init(store: Store, events: EventBatchRecorder, logger: Logger) {
        self.store = store
        self.events = events
        self.logger = logger
    }

    public func keys(for change: Change) -> [String] {
        let key = OwnerDependents.key(kind: change.kind, namespace: change.namespace, name: change.name)
        var keys: [String] = []
        if Self.dependentKinds.contains(where: { $0.kind == change.kind }) {
            if change.verb == .deleted { index.forget(key) } else { keys.append(key) }
        }
        // Any object going (or being replaced) may leave dependents without their owner.
        if change.verb != .updated { keys += index.dependents(of: key) }
        return keys
    }

    public func allKeys() async throws -> [String] {
        var keys: [String] = []
        for kind in Self.dependentKinds {
            for resource in try await store.list(kind: kind.kind) {
                let key = OwnerDependents.key(kind: kind.kind, namespace: resource.namespace, name: resource.name)
                let owners = Self.owners(of: resource)
                index.set(key, owners: Set(owners.map(\.key)))
                if !owners.isEmpty { keys.append(key) }
            }
        }
        return keys
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let (kind, namespace, name) = OwnerDependents.split(key) else { return .done }
        guard let resource = try await store.find(kind: kind, namespace: namespace, name: name) else {
            index.forget(key)
            return .done
        }
        let owners = Self.owners(of: resource)
        index.set(key, owners: Set(owners.map(\.key)))
        guard !owners.isEmpty, resource.metadata.deletionTimestamp == nil else { return .done }
        var dead: [Owner] = []
        for owner in owners {
            if try await !isAlive(owner) { dead.append(owner) }
        }
        guard !dead.isEmpty else { return .done }
        let label = "\(kind.lowercased())/\(name)"
        if dead.count == owners.count {
            let gone = dead.map(\.description).joined(separator: ", ")
            do {
                _ = try await store.delete(kind: kind, namespace: namespace, name: name)
            } catch StoreError.notFound {
                return .done
            }
            logger.info("deleting an object whose owners are gone", metadata: ["object": "\(label)", "owners": "\(gone)"])
            record(resource, reason: "GarbageCollected", message: "deleted: its owner \(gone) is gone")
        } else {
            let uids = Set(dead.compactMap(\.reference).map(\.uid))
            guard !uids.isEmpty else { return .done }
            _ = try await store.mutate(kind: kind, namespace: namespace, name: name) { object in
                let kept = (object.metadata.ownerReferences ?? []).filter { entry in
                    guard let reference = OwnerReference(json: entry) else { return true }
                    return !uids.contains(reference.uid)
                }
                object.metadata.ownerReferences = kept.isEmpty ? nil : kept
            }
            logger.info("removing references to owners that are gone", metadata: ["object": "\(label)"])
        }
        return .done
    }

    /// One owner of a dependent: an ownerReference, or a binding's machine.
    struct Owner: Sendable, CustomStringConvertible {
        var kind: String
        var namespace: String
        var name: String
        var uid: String
        /// The ownerReference entry it comes from (nil for a binding's metalMachineRef).
        var reference: OwnerReference?

        var key: String { OwnerDependents.key(kind: kind, namespace: namespace, name: name) }
        var description: String { "\(kind.lowercased())/\(name) (uid \(uid))" }
    }

    static func owners(of resource: Resource) -> [Owner] {
        var owners = resource.metadata.owners.map { reference in
            let namespaced = ResourceKinds.kind(reference.kind)?.namespaced ?? !resource.namespace.isEmpty
            return Owner(
                kind: reference.kind, namespace: namespaced ? resource.namespace : "", name: reference.name,
                uid: reference.uid, reference: reference)
        }
        if resource.kind == ServerBinding.resourceKind.kind, let binding = try? ServerBinding(resource),
            let uid = binding.spec.metalMachineRef.uid, let name = binding.spec.metalMachineRef.name
        {
            owners.append(Owner(
                kind: MetalMachine.resourceKind.kind, namespace: binding.spec.metalMachineRef.namespace ?? "default",
                name: name, uid: uid, reference: nil))
        }
        return owners
    }

    /// Alive: an object of that kind and name with that uid exists, or the kind is not one Anvil
    /// serves (it cannot be checked).
    private func isAlive(_ owner: Owner) async throws -> Bool {
        guard ResourceKinds.kind(owner.kind) != nil else { return true }
        guard let found = try await store.find(kind: owner.kind, namespace: owner.namespace, name: owner.name) else {
            return false
        }
        return found.metadata.uid == owner.uid
    }

    private func record(_ resource: Resource, reason: String, message: String) {
        events.record(.init(involved: InvolvedObject(resource), type: .normal, reason: reason, message: message, source: Self.source))
    }
}
