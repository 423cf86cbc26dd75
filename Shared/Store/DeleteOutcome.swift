import AnvilResources

/// What `delete` did.
public enum DeleteOutcome: Sendable, Hashable {
    /// The object is gone; this is its last state (resourceVersion = the deletion's revision).
    case deleted(Resource)
    /// Finalizers remain: the object now carries a deletionTimestamp and disappears when an
    /// update removes its last finalizer.
    case deletionPending(Resource)

    public var resource: Resource {
        switch self {
        case .deleted(let resource), .deletionPending(let resource): return resource
        }
    }
}
