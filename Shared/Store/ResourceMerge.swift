import AnvilJSON
import AnvilResources

/// How an incoming object is folded over the stored one, Kubernetes style.
enum ResourceMerge {
    /// Which parts of the incoming object count.
    enum Scope {
        /// `update`: everything but status (status has its own subresource).
        case allButStatus
        /// `updateStatus`: only status.
        case statusOnly
        /// `mutate`: spec and status alike.
        case everything
    }

    /// Canonical form, so "unchanged" compares equal however the client spelled emptiness.
    static func normalized(_ resource: Resource) -> Resource {
        var resource = resource
        if resource.metadata.namespace?.isEmpty == true { resource.metadata.namespace = nil }
        if resource.metadata.labels?.isEmpty == true { resource.metadata.labels = nil }
        if resource.metadata.annotations?.isEmpty == true { resource.metadata.annotations = nil }
        if resource.metadata.finalizers?.isEmpty == true { resource.metadata.finalizers = nil }
        if resource.metadata.ownerReferences?.isEmpty == true { resource.metadata.ownerReferences = nil }
        resource.body = resource.body.filter { !$0.value.isNull }
        return resource
    }

    /// The object to store: `incoming` within `scope`, with the store-managed metadata
    /// (identity, uid, creationTimestamp, generation, deletionTimestamp, resourceVersion) of `stored`.
    /// Generation is bumped when any non-status body field changed.
    static func merge(stored: Resource, incoming: Resource, scope: Scope) -> Resource {
        var next: Resource
        switch scope {
        case .statusOnly:
            next = stored
            next.body["status"] = incoming.body["status"]
        case .allButStatus, .everything:
            next = incoming
            next.kind = stored.kind
            next.metadata.name = stored.metadata.name
            next.metadata.namespace = stored.metadata.namespace
            next.metadata.uid = stored.metadata.uid
            next.metadata.creationTimestamp = stored.metadata.creationTimestamp
            next.metadata.generation = stored.metadata.generation
            next.metadata.deletionTimestamp = stored.metadata.deletionTimestamp
            if scope == .allButStatus { next.body["status"] = stored.body["status"] }
        }
        next.metadata.resourceVersion = stored.metadata.resourceVersion
        next = normalized(next)
        if nonStatusBody(next) != nonStatusBody(stored) {
            next.metadata.generation = (stored.metadata.generation ?? 1) + 1
        }
        return next
    }

    private static func nonStatusBody(_ resource: Resource) -> [String: JSONValue] {
        resource.body.filter { $0.key != "status" }
    }
}
