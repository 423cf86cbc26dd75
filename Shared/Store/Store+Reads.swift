import AnvilResources

extension Store {
    /// The object, or `StoreError.notFound`. `namespace` is "" for cluster-scoped kinds.
    public func get(kind: String, namespace: String = "", name: String) async throws -> Resource {
        guard let resource = try await find(kind: kind, namespace: namespace, name: name) else {
            throw StoreError.notFound(kind: kind, namespace: namespace, name: name)
        }
        return resource
    }

    /// The object, or nil if there is none.
    public func find(kind: String, namespace: String = "", name: String) async throws -> Resource? {
        try await backend.fetch(ResourceKey(kind: kind, namespace: namespace, name: name)).map { try codec.decode($0) }
    }

    /// Objects of one kind ordered by namespace then name; `namespace` nil means all namespaces.
    /// The selector is applied to decoded metadata before the body is parsed.
    public func list(kind: String, namespace: String? = nil, selector: LabelSelector? = nil) async throws -> [Resource] {
        let selector = selector.flatMap { $0.isEmpty ? nil : $0 }
        var result: [Resource] = []
        for row in try await backend.list(kind: kind, namespace: namespace) {
            let metadata = try codec.decodeMetadata(row)
            if let selector, !selector.matches(metadata.labels) { continue }
            result.append(try codec.decode(row, metadata: metadata))
        }
        return result
    }
}

extension Store {
    /// Runs `body` against one consistent read of the store, so everything it finds comes from
    /// one state: a decision never mixes two (docs/architecture.md "Store"). `body` only reads,
    /// so a back-end may run it more than once.
    public func snapshot<T: Sendable>(_ body: @Sendable (StoreSnapshot) throws -> T) async throws -> T {
        let codec = self.codec
        return try await backend.snapshot { rows in try body(StoreSnapshot(rows: rows, codec: codec)) }
    }
}

/// The store as one consistent read sees it; valid only inside ``Store/snapshot(_:)``.
public struct StoreSnapshot {
    let rows: SnapshotRows
    let codec: ResourceCodec

    /// The object, or nil if there is none. `namespace` is "" for cluster-scoped kinds.
    public func find(kind: String, namespace: String = "", name: String) throws -> Resource? {
        try rows.lookup(ResourceKey(kind: kind, namespace: namespace, name: name)).map { try codec.decode($0) }
    }
}
