import AnvilResources

/// One class as the index holds it: its spec (for matching), its members split into available
/// and in use (each sorted), and where each member sits, so moving one server touches only it.
struct IndexedServerClass: Sendable {
    enum Placement: Sendable, Hashable {
        case available, inUse
    }

    /// Metadata and spec only; the status is what ``status`` computes.
    let serverClass: ServerClass
    private(set) var available = SortedNames()
    private(set) var inUse = SortedNames()
    private var placements: [String: Placement] = [:]

    /// Bumped (from the index's counter) whenever ``status`` changes.
    var version: Int
    /// The version known to be in the store; nil when the store may hold something else.
    var writtenVersion: Int?

    /// Computes membership over every cached server.
    init<Servers: Sequence<Server>>(_ serverClass: ServerClass, servers: Servers, version: Int) {
        self.serverClass = serverClass
        self.version = version
        var available: [String] = []
        var inUse: [String] = []
        for server in servers {
            guard let placement = Self.placement(of: server, in: serverClass) else { continue }
            placements[server.metadata.name] = placement
            switch placement {
            case .available: available.append(server.metadata.name)
            case .inUse: inUse.append(server.metadata.name)
            }
        }
        self.available = SortedNames(unsorted: available)
        self.inUse = SortedNames(unsorted: inUse)
    }

    var name: String { serverClass.metadata.name }
    var uid: String? { serverClass.metadata.uid }
    var generation: Int64? { serverClass.metadata.generation }

    var status: ServerClassStatus {
        ServerClassStatus(serversAvailable: available.names, serversInUse: inUse.names)
    }

    var needsWrite: Bool { writtenVersion != version }

    /// Sidero: a member is in use when its `status.inUse` is set; the other members are available.
    static func placement(of server: Server, in serverClass: ServerClass) -> Placement? {
        guard ServerClassMembership.matches(server: server, serverClass: serverClass) else { return nil }
        return server.status.inUse ? .inUse : .available
    }

    /// Moves `name` to `placement` (nil: not a member). True when the status changed.
    mutating func place(_ name: String, _ placement: Placement?) -> Bool {
        let old = placements[name]
        guard old != placement else { return false }
        switch old {
        case .available: available.remove(name)
        case .inUse: inUse.remove(name)
        case nil: break
        }
        switch placement {
        case .available: available.insert(name)
        case .inUse: inUse.insert(name)
        case nil: break
        }
        placements[name] = placement
        return true
    }
}
