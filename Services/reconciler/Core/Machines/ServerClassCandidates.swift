import AnvilJSON
import AnvilResources
import AnvilStore
import Synchronization

/// A ServerClass's `status.serversAvailable` in ascending UUID order, the allocation walk's
/// input (docs/sidero-controllers.md §5.3 step 3). A class lists every member, ten thousand UUIDs on a big
/// rack, so each machine reading and sorting it again would dominate a burst of allocations:
/// the sorted list is kept per class for at most ``maximumAge`` or until the class changes in
/// the feed (``invalidate(_:)``). A stale list is only a hint — each candidate Server is read and
/// checked before it is bound — and ``read(_:fresh:)`` with `fresh` bypasses it.
final class ServerClassCandidates: Sendable {
    static let maximumAge: Duration = .seconds(1)

    struct Entry: Sendable {
        var resourceVersion: String
        var servers: [String]
        var readAt: ContinuousClock.Instant
    }

    private let store: Store
    private let cache = Mutex<[String: Entry]>([:])

    init(store: Store) {
        self.store = store
    }

    /// The class's available servers, ascending; nil when the class does not exist.
    func read(_ className: String, fresh: Bool = false) async throws -> [String]? {
        if !fresh, let entry = cache.withLock({ $0[className] }), ContinuousClock.now - entry.readAt < Self.maximumAge {
            return entry.servers
        }
        guard let resource = try await store.find(kind: ServerClass.resourceKind.kind, name: className) else {
            cache.withLock { _ = $0.removeValue(forKey: className) }
            return nil
        }
        let version = resource.metadata.resourceVersion ?? ""
        if let entry = cache.withLock({ $0[className] }), entry.resourceVersion == version {
            cache.withLock { $0[className]?.readAt = .now }
            return entry.servers
        }
        let servers = Self.available(in: resource)
        cache.withLock { $0[className] = Entry(resourceVersion: version, servers: servers, readAt: .now) }
        return servers
    }

    /// The class changed: the next read goes to the store.
    func invalidate(_ className: String) {
        _ = cache.withLock { $0.removeValue(forKey: className) }
    }

    /// `status.serversAvailable`, read straight from the JSON (decoding the typed class would copy
    /// every UUID twice more), sorted unless it already is.
    static func available(in resource: Resource) -> [String] {
        let names = (resource.status?["serversAvailable"]?.arrayValue ?? []).compactMap(\.stringValue)
        for index in names.indices.dropFirst() where names[index - 1] > names[index] {
            return names.sorted()
        }
        return names
    }
}
