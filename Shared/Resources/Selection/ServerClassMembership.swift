/// Which servers belong to a class (Sidero's FilterServers, api/v1alpha2/serverclass_filter.go):
/// accepted AND not cordoned AND the label selector AND the qualifiers. Within a qualifier
/// category entries are OR-ed; categories are AND-ed; an empty category places no constraint.
/// `selector` is a standard label selector (all its terms must hold); `qualifiers.labelSelectors`
/// is Sidero's own looser form: ANY single key=value pair of ANY entry is enough.
public enum ServerClassMembership {
    public static func matches(server: Server, serverClass: ServerClass) -> Bool {
        guard server.spec.accepted, server.spec.cordoned != true else { return false }
        let labels = server.metadata.labels ?? [:]
        if let selector = serverClass.spec.selector, !selector.matches(labels) {
            return false
        }
        guard let qualifiers = serverClass.spec.qualifiers else { return true }
        return matchesHardware(qualifiers.hardware ?? [], server.spec.hardware)
            && matchesLabelSelectors(qualifiers.labelSelectors ?? [], labels)
    }

    /// Any entry's PartialEqual holds. Sidero never matches a server that reported no hardware.
    static func matchesHardware(_ entries: [HardwareInformation], _ hardware: HardwareInformation?) -> Bool {
        guard !entries.isEmpty else { return true }
        guard let hardware else { return false }
        return entries.contains { PartialMatch.matches(qualifier: $0, actual: hardware) }
    }

    /// Any key=value pair of any entry is among the server's labels (Sidero ORs every pair).
    static func matchesLabelSelectors(_ entries: [[String: String]], _ labels: [String: String]) -> Bool {
        guard !entries.isEmpty else { return true }
        return entries.contains { entry in entry.contains { labels[$0.key] == $0.value } }
    }

    /// The servers of a class, sorted by name as Sidero lists them.
    public static func members(of serverClass: ServerClass, among servers: [Server]) -> [Server] {
        servers.filter { matches(server: $0, serverClass: serverClass) }.sorted { $0.metadata.name < $1.metadata.name }
    }
}
