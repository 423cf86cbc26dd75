import AnvilResources
import Foundation

extension Store {
    /// Opens the PostgreSQL back-end. A stub until that back-end is merged (issue 18): this build
    /// has none, and says so rather than falling back to SQLite.
    static func openPostgres(
        url: String, secretsKey: URL, validate: @escaping @Sendable (Resource) throws -> Resource, options: StoreOptions
    ) async throws -> Store {
        throw StoreError.database("PostgreSQL store support is not built in")
    }
}
