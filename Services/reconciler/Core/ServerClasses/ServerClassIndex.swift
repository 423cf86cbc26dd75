import AnvilResources

/// Every Server and ServerClass as last read from the store, and each class's members, so that a
/// change costs work in proportion to it: a Server change re-places that one server in every class,
/// a ServerClass change recomputes that class over the cached servers. Loaded whole by the resync
/// (``load(servers:classes:)``). Tracks per class which status version the store holds, so only
/// classes whose status changed are written, and a write that lost a race is redone.
actor ServerClassIndex {
    private var servers: [String: Server] = [:]
    private var classes: [String: IndexedServerClass] = [:]
    /// Status versions never repeat, even across reloads, so a writer can tell its version is stale.
    private var lastVersion = 0
    private(set) var isLoaded = false

    /// What a writer should bring the store to.
    struct PendingStatus: Sendable {
        let uid: String?
        let status: ServerClassStatus
        let version: Int
    }

    private func nextVersion() -> Int {
        lastVersion += 1
        return lastVersion
    }

    /// Replaces everything. `classes` carry the status the store holds.
    func load(servers: [Server], classes: [ServerClass]) {
        self.servers = Dictionary(servers.map { ($0.metadata.name, $0) }) { _, last in last }
        self.classes = [:]
        for serverClass in classes {
            insert(serverClass, storedStatus: serverClass.status)
        }
        isLoaded = true
    }

    var serverCount: Int { servers.count }
    var classNames: [String] { classes.keys.sorted() }

    /// The cached class's identity: a store object with the same uid and generation has the same spec.
    func identity(ofClass name: String) -> (uid: String?, generation: Int64?)? {
        classes[name].map { ($0.uid, $0.generation) }
    }

    /// The computed status of a class (tests, the benchmark).
    func status(ofClass name: String) -> ServerClassStatus? {
        classes[name]?.status
    }

    /// A class was created or its spec changed: recompute it over the cached servers, then note
    /// whether the store's status (`storedStatus`) is already right.
    func apply(serverClass: ServerClass, storedStatus: ServerClassStatus) {
        insert(serverClass, storedStatus: storedStatus)
    }

    /// The class's spec is unchanged; the store holds `storedStatus`.
    func observe(className name: String, storedStatus: ServerClassStatus) {
        guard var entry = classes[name] else { return }
        entry.writtenVersion = entry.status == storedStatus ? entry.version : nil
        classes[name] = entry
    }

    func removeClass(named name: String, uid: String? = nil) {
        guard let entry = classes[name], uid == nil || entry.uid == uid else { return }
        classes[name] = nil
    }

    /// A server was created or changed: places it in every class. Returns the classes whose
    /// status changed.
    @discardableResult
    func apply(server: Server) -> [String] {
        let name = server.metadata.name
        servers[name] = server
        var changed: [String] = []
        for (className, var entry) in classes {
            // Read-modify-write of one dictionary slot: take it out so `place` does not copy.
            classes[className] = nil
            if entry.place(name, IndexedServerClass.placement(of: server, in: entry.serverClass)) {
                entry.version = nextVersion()
                changed.append(className)
            }
            classes[className] = entry
        }
        return changed.sorted()
    }

    /// A server is gone: it leaves every class. Returns the classes whose status changed.
    @discardableResult
    func removeServer(named name: String) -> [String] {
        guard servers.removeValue(forKey: name) != nil else { return [] }
        var changed: [String] = []
        for (className, var entry) in classes {
            classes[className] = nil
            if entry.place(name, nil) {
                entry.version = nextVersion()
                changed.append(className)
            }
            classes[className] = entry
        }
        return changed.sorted()
    }

    /// Classes whose status the store may not hold yet, by name.
    func classesNeedingWrite() -> [String] {
        classes.values.filter(\.needsWrite).map(\.name).sorted()
    }

    /// What to write for `name`, or nil when the store already holds it (or the class is gone).
    func pendingStatus(ofClass name: String) -> PendingStatus? {
        guard let entry = classes[name], entry.needsWrite else { return nil }
        return PendingStatus(uid: entry.uid, status: entry.status, version: entry.version)
    }

    /// The store now holds `version` of the class's status. False when the status moved on
    /// meanwhile: the write may have replaced a newer one, so the store is no longer trusted for
    /// this class and the caller writes again.
    func written(className name: String, version: Int) -> Bool {
        guard var entry = classes[name] else { return true }
        if entry.version == version {
            entry.writtenVersion = version
            classes[name] = entry
            return true
        }
        entry.writtenVersion = nil
        classes[name] = entry
        return false
    }

    private func insert(_ serverClass: ServerClass, storedStatus: ServerClassStatus) {
        var specOnly = serverClass
        specOnly.status = ServerClassStatus()
        var entry = IndexedServerClass(specOnly, servers: servers.values, version: nextVersion())
        entry.writtenVersion = entry.status == storedStatus ? entry.version : nil
        classes[serverClass.metadata.name] = entry
    }
}
