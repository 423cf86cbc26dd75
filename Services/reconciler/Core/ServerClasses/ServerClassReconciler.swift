import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// Keeps every ServerClass's `status.serversAvailable` / `status.serversInUse` current (Sidero's
/// ServerClass controller, docs/sidero-controllers.md §5.2), incrementally: an in-memory
/// ``ServerClassIndex`` is loaded by each resync (``allKeys()``) and updated per change. A
/// `server/<uuid>` key re-reads that server and re-places it in every class; a `class/<name>` key
/// re-reads that class and recomputes it over the cached servers. Only classes whose status
/// changed are written, each with one `mutate`.
public struct ServerClassReconciler: Reconciler {
    public static let eventSource = "reconciler/serverclass"

    public var name: String { "serverclass" }

    let store: Store
    let events: EventBatchRecorder
    let logger: Logger
    let index = ServerClassIndex()

    private var writer: ServerClassStatusWriter { ServerClassStatusWriter(store: store) }
    private var loader: ServerClassIndexLoader { ServerClassIndexLoader(store: store, logger: logger) }

    public init(store: Store, events: EventBatchRecorder, logger: Logger) {
        self.store = store
        self.events = events
        self.logger = logger
    }

    public func keys(for change: Change) -> [String] {
        switch change.kind {
        case Server.resourceKind.kind: [ServerClassKey.server(change.name).rawValue]
        case ServerClass.resourceKind.kind: [ServerClassKey.serverClass(change.name).rawValue]
        default: []
        }
    }

    /// The resync: makes sure `any` exists, reloads the index from the store and returns every
    /// class's key (each then writes its status if the store's differs).
    public func allKeys() async throws -> [String] {
        if try await Self.ensureAnyClass(store: store) {
            events.record(.init(
                involved: InvolvedObject(kind: ServerClass.resourceKind.kind, name: ServerClass.anyName), type: .normal,
                reason: "Created", message: "created the \"any\" class: every accepted, uncordoned server",
                source: Self.eventSource))
        }
        return try await loader.load(into: index).map { ServerClassKey.serverClass($0).rawValue }
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let parsed = ServerClassKey(key) else {
            logger.debug("ignoring an unknown key", metadata: ["key": "\(key)"])
            return .done
        }
        if await !index.isLoaded { _ = try await loader.load(into: index) }
        switch parsed {
        case .server(let name): try await reconcileServer(name)
        case .serverClass(let name): try await reconcileClass(name)
        }
        return .done
    }

    private func reconcileServer(_ name: String) async throws {
        if let resource = try await store.find(kind: Server.resourceKind.kind, name: name) {
            await index.apply(server: try Server(resource))
        } else {
            await index.removeServer(named: name)
        }
        // Every class not yet written, not only those this server moved: a write that failed
        // before (this key's retry) is finished here.
        for className in await index.classesNeedingWrite() {
            try await writeStatus(ofClass: className)
        }
    }

    private func reconcileClass(_ name: String) async throws {
        guard let resource = try await store.find(kind: ServerClass.resourceKind.kind, name: name) else {
            await index.removeClass(named: name)
            return
        }
        let stored = ServerClassStatusJSON.decode(resource.status)
        let known = await index.identity(ofClass: name)
        if let known, known.uid == resource.metadata.uid, known.generation == resource.metadata.generation {
            // Same spec (generation moves with every spec change): only the stored status may differ.
            await index.observe(className: name, storedStatus: stored)
        } else {
            var specOnly = resource
            specOnly.status = nil
            await index.apply(serverClass: try ServerClass(specOnly), storedStatus: stored)
        }
        try await writeStatus(ofClass: name)
    }

    /// Writes the class's computed status until the store holds the latest one.
    private func writeStatus(ofClass name: String) async throws {
        while let pending = await index.pendingStatus(ofClass: name) {
            switch try await writer.write(className: name, uid: pending.uid, status: pending.status) {
            case .stored:
                if await index.written(className: name, version: pending.version) { return }
            case .gone:
                // Its deletion (or re-creation) is in the change feed; that class key settles it.
                await index.removeClass(named: name, uid: pending.uid)
                return
            }
        }
    }
}
