import AnvilResources
import AnvilStore

/// Typed reads and read-modify-writes over the store's `Resource` API.
extension Store {
    /// The object decoded as `T`, or nil if there is none.
    func find<T: TypedResource>(_ type: T.Type, namespace: String = "", name: String) async throws -> T? {
        try await find(kind: T.resourceKind.kind, namespace: namespace, name: name).map(T.init)
    }

    /// Reads, transforms and writes one object in one transaction (``Store/mutate``); nothing is
    /// written when the transform changes nothing. Returns the stored result.
    @discardableResult
    func mutate<T: TypedResource>(
        _ type: T.Type, namespace: String = "", name: String, _ transform: @Sendable (inout T) throws -> Void
    ) async throws -> T {
        let written = try await mutate(kind: T.resourceKind.kind, namespace: namespace, name: name) { resource in
            var typed = try T(resource)
            try transform(&typed)
            resource = typed.resource
        }
        return try T(written)
    }
}
