import AnvilResources
import GRDB

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
        let cipher = self.cipher
        return try await read { db in
            try ResourceTable(cipher: cipher).fetch(db, kind: kind, namespace: namespace, name: name)
        }
    }

    /// Objects of one kind ordered by namespace then name; `namespace` nil means all namespaces.
    /// The selector is applied to decoded metadata before the body is parsed.
    public func list(kind: String, namespace: String? = nil, selector: LabelSelector? = nil) async throws -> [Resource] {
        let cipher = self.cipher
        let selector = selector.flatMap { $0.isEmpty ? nil : $0 }
        return try await read { db in
            let table = ResourceTable(cipher: cipher)
            var sql = "SELECT \(ResourceTable.selectColumns) FROM resources WHERE kind = ?"
            var arguments: StatementArguments = [kind]
            if let namespace {
                sql += " AND namespace = ?"
                arguments += [namespace]
            }
            sql += " ORDER BY namespace, name"
            var result: [Resource] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let metadata = try table.decodeMetadata(row)
                if let selector, !selector.matches(metadata.labels) { continue }
                result.append(try table.decode(row, metadata: metadata))
            }
            return result
        }
    }
}

extension Store {
    /// Runs `body` in one read transaction, so everything it finds comes from one snapshot of
    /// the store: a decision never mixes two states (docs/architecture.md "Store").
    public func snapshot<T: Sendable>(_ body: @Sendable (StoreSnapshot) throws -> T) async throws -> T {
        let cipher = self.cipher
        return try await read { db in try body(StoreSnapshot(db: db, table: ResourceTable(cipher: cipher))) }
    }
}

/// The store as one read transaction sees it; valid only inside ``Store/snapshot(_:)``.
public struct StoreSnapshot {
    let db: Database
    let table: ResourceTable

    /// The object, or nil if there is none. `namespace` is "" for cluster-scoped kinds.
    public func find(kind: String, namespace: String = "", name: String) throws -> Resource? {
        try table.fetch(db, kind: kind, namespace: namespace, name: name)
    }
}
