import AnvilResources
import Foundation

extension Store {
    /// Opens the PostgreSQL back-end (Shared/Store/Postgres) and wraps it; the key check against
    /// the database is the back-end's (docs/architecture.md "Store").
    static func openPostgres(
        url: String, secretsKey: URL, validate: @escaping @Sendable (Resource) throws -> Resource, options: StoreOptions
    ) async throws -> Store {
        let (backend, key) = try await PostgresBackend.open(url: url, keyPath: secretsKey.path, options: options)
        return Store(backend: backend, key: key, validate: validate, options: options)
    }
}
