import AnvilSpawn
import AnvilStore
import Foundation

/// psql and pgbench against the server of a store URL (its host, port, user, password, database).
struct PostgresTool {
    let url: PostgresURL

    init(url text: String) throws { url = try PostgresURL(parsing: text) }

    /// The `?schema=` of the URL, nil for the default `public` (never dropped).
    var schema: String? { url.schema == PostgresURL.defaultSchema ? nil : url.schema }

    /// `text` with its `?schema=` replaced by `schema` (an sslmode is kept).
    static func withSchema(_ text: String, _ schema: String) throws -> String {
        let parsed = try PostgresURL(parsing: text)
        // The query starts after the user info, which may hold a "?" in its password.
        let at = text.range(of: "@", options: .backwards)?.upperBound ?? text.startIndex
        let base = text[at...].firstIndex(of: "?").map { text[..<$0] } ?? text[...]
        let ssl = parsed.sslMode == .disable ? "" : "&sslmode=\(parsed.sslMode.rawValue)"
        return "\(base)?schema=\(schema)\(ssl)"
    }

    /// The connection as libpq's tools take it, through the environment (no password on a command line).
    func environment(database: String? = nil) -> [String: String] {
        var environment = SpawnedProcess.currentEnvironment()
        environment["PGHOST"] = url.host
        environment["PGPORT"] = "\(url.port)"
        environment["PGUSER"] = url.user
        environment["PGDATABASE"] = database ?? url.database
        environment["PGSSLMODE"] = url.sslMode.rawValue
        if let password = url.password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// Runs one SQL command with psql; throws with psql's message when it fails.
    @discardableResult
    func psql(_ sql: String, database: String? = nil) throws -> String {
        try run("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql], database: database)
    }

    /// Runs `tool` (psql, pgbench) to its end; throws with its standard error when it fails.
    func run(_ tool: String, _ arguments: [String], database: String? = nil) throws -> String {
        let finished = try SpawnedProcess.run(tool, arguments, environment: environment(database: database))
        guard finished.succeeded else {
            throw BenchFailure("\(tool) \(arguments.first ?? "") failed (\(finished.status)): \(finished.errorText)")
        }
        return finished.outputText
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
