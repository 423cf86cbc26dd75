import Foundation

extension StoreLocation {
    /// The default: `<state>/anvil.db`.
    public static func sqlite(stateDirectory: URL) -> StoreLocation {
        .sqlite(path: stateDirectory.appendingPathComponent("anvil.db"))
    }

    /// `sqlite:<path>` (relative to `currentDirectory`) or `postgres://…` / `postgresql://…`, as
    /// `--store` and ANVIL_STORE take it. The error names what is wrong, never a password.
    public static func parse(_ text: String, currentDirectory: URL) throws -> StoreLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreLocationError("sqlite: has no file path") }
            return .sqlite(path: URL(fileURLWithPath: path, relativeTo: currentDirectory).standardizedFileURL)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw StoreLocationError("the PostgreSQL URL has no host")
            }
            return .postgres(url: text)
        }
        throw StoreLocationError("the scheme is neither sqlite: nor postgres://")
    }

    /// `text` with the password of a `scheme://user:password@host…` URL replaced by `***`, for
    /// error messages about a value that may not even parse.
    public static func masked(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
              let colon = rest[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<rest.index(after: colon)]) + "***" + String(rest[at...])
    }

    /// For logs and `service.info`: the PostgreSQL password masked.
    public var displayName: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path.path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

/// A `--store` value that is not a store location.
public struct StoreLocationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
