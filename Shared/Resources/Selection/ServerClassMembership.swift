/// Which servers belong to a class (Sidero's FilterServers): accepted AND not cordoned AND the
/// label selector AND the qualifiers. Within a qualifier category entries are OR-ed; categories
/// are AND-ed; an empty category places no constraint.
public enum ServerClassMembership {
    public static func matches(server: Server, serverClass: ServerClass) -> Bool {
        guard server.spec.accepted, server.spec.cordoned != true else { return false }
        let labels = server.metadata.labels ?? [:]
        if let selector = serverClass.spec.selector, !selector.matches(labels) {
            return false
        }
        let qualifiers = serverClass.spec.qualifiers ?? Qualifiers()
        let hardware = qualifiers.hardware ?? []
        if !hardware.isEmpty, !hardware.contains(where: { PartialMatch.matches(qualifier: $0, actual: server.spec.hardware) }) {
            return false
        }
        // Each labelSelectors entry needs all its pairs; Sidero matched on any single pair.
        let labelSets = qualifiers.labelSelectors ?? []
        if !labelSets.isEmpty, !labelSets.contains(where: { $0.allSatisfy { labels[$0.key] == $0.value } }) {
            return false
        }
        return true
    }

    /// The servers of a class, sorted by name as Sidero lists them.
    public static func members(of serverClass: ServerClass, among servers: [Server]) -> [Server] {
        servers.filter { matches(server: $0, serverClass: serverClass) }.sorted { $0.metadata.name < $1.metadata.name }
    }
}
