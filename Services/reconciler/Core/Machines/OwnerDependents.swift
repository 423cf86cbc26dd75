import Synchronization

/// Which dependents name which owner, as last read: lets an owner's deletion in the change feed
/// find its dependents without listing them. Filled as dependents are reconciled and at each
/// resync; a dependent this process has not read yet is found at the next resync.
final class OwnerDependents: Sendable {
    /// `Kind:namespace/name` (or `Kind:name` when cluster-scoped).
    static func key(kind: String, namespace: String, name: String) -> String {
        "\(kind):\(namespace.isEmpty ? name : "\(namespace)/\(name)")"
    }

    static func split(_ key: String) -> (kind: String, namespace: String, name: String)? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let kind = String(key[..<colon])
        let rest = String(key[key.index(after: colon)...])
        guard let slash = rest.firstIndex(of: "/") else { return (kind, "", rest) }
        return (kind, String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    private struct State {
        var dependents: [String: Set<String>] = [:]
        var owners: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// `dependent` names exactly `owners` now.
    func set(_ dependent: String, owners: Set<String>) {
        state.withLock { state in
            for owner in state.owners[dependent] ?? [] where !owners.contains(owner) {
                state.dependents[owner]?.remove(dependent)
                if state.dependents[owner]?.isEmpty == true { state.dependents[owner] = nil }
            }
            for owner in owners { state.dependents[owner, default: []].insert(dependent) }
            state.owners[dependent] = owners.isEmpty ? nil : owners
        }
    }

    func forget(_ dependent: String) {
        set(dependent, owners: [])
    }

    func dependents(of owner: String) -> [String] {
        state.withLock { ($0.dependents[owner] ?? []).sorted() }
    }
}
