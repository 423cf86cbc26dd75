extension Store {
    /// A consistency check of the store's files (SQLite's `PRAGMA integrity_check`): "ok", or the
    /// problems found (fault tests, operators); nil for a back-end without files of its own.
    public func integrityCheck() async throws -> String? {
        try await backend.integrityCheck()
    }
}
