import Foundation

/// A parsed `postgres://user:password@host:port/database?schema=…&sslmode=…` store URL
/// (docs/architecture.md "Store"; docs/plans/issue-18-store-backends.md §3). Errors name the bad
/// part and never repeat the password; ``description`` masks it.
package struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    package enum SSLMode: String, Sendable, Equatable {
        /// Plain TCP (the default: a database on the same host or a private network).
        case disable
        /// TLS without verifying the server certificate, as libpq's `sslmode=require`.
        case require
        /// TLS with the certificate checked against the system roots and the host name.
        case verifyFull = "verify-full"
    }

    package var user: String
    package var password: String?
    package var host: String
    package var port: Int
    package var database: String
    /// The PostgreSQL schema holding Anvil's tables: several stores can share one database.
    package var schema: String
    package var sslMode: SSLMode

    package static let defaultPort = 5432
    package static let defaultSchema = "public"

    package init(
        user: String, password: String?, host: String, port: Int = defaultPort, database: String,
        schema: String = defaultSchema, sslMode: SSLMode = .disable
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.schema = schema
        self.sslMode = sslMode
    }

    package init(parsing text: String) throws {
        guard let schemeEnd = text.range(of: "://"),
            ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound].lowercased())
        else {
            throw Self.failure("must start with postgres:// or postgresql://")
        }
        let rest = text[schemeEnd.upperBound...]
        // The last "@" ends the user info, so an unencoded "/", "?" or "@" in a password cannot move
        // the host, and nothing an error quotes (all after it) can hold part of the password.
        guard let at = rest.lastIndex(of: "@") else { throw Self.failure("has no user (expected user[:password]@host)") }
        let userInfo = rest[..<at]
        var location = rest[rest.index(after: at)...]
        var query: Substring = ""
        if let mark = location.firstIndex(of: "?") {
            query = location[location.index(after: mark)...]
            location = location[..<mark]
        }

        let userPart: Substring
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            guard let decoded = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding else {
                throw Self.failure("has a password that is not valid percent-encoding")
            }
            password = decoded
        } else {
            userPart = userInfo
        }
        guard let user = String(userPart).removingPercentEncoding, !user.isEmpty else {
            throw Self.failure("has no user name, or one that is not valid percent-encoding")
        }

        let hostPort: Substring
        var databasePart: Substring = ""
        if let slash = location.firstIndex(of: "/") {
            hostPort = location[..<slash]
            databasePart = location[location.index(after: slash)...]
        } else {
            hostPort = location
        }
        let (host, port) = try Self.hostAndPort(hostPort)
        guard let database = String(databasePart).removingPercentEncoding else {
            throw Self.failure("has a database name that is not valid percent-encoding")
        }

        var schema = Self.defaultSchema
        var sslMode = SSLMode.disable
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? (String(pair[1]).removingPercentEncoding ?? "") : ""
            switch name {
            case "schema":
                guard Self.isSchemaName(value) else {
                    throw Self.failure(
                        "has schema \"\(value)\"; a schema name is 1 to 63 of a-z, 0-9 and _, not starting with a digit")
                }
                schema = value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw Self.failure("has sslmode \"\(value)\"; use disable, require or verify-full")
                }
                sslMode = mode
            default:
                throw Self.failure("has the unknown parameter \"\(name)\" (known: schema, sslmode)")
            }
        }
        // libpq's default: the database named after the user.
        self.init(
            user: user, password: password, host: host, port: port, database: database.isEmpty ? user : database,
            schema: schema, sslMode: sslMode)
    }

    /// The URL with the password masked, for logs and errors.
    package var description: String {
        let userInfo = Self.encode(user) + (password == nil ? "" : ":***")
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(userInfo)@\(hostText):\(port)/\(Self.encode(database))?schema=\(schema)&sslmode=\(sslMode.rawValue)"
    }

    /// `host:port` as errors name the server.
    package var endpoint: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    private static func hostAndPort(_ text: Substring) throws -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432
            guard let close = text.firstIndex(of: "]") else { throw failure("has an IPv6 host without its closing ]") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw failure("has text after the IPv6 host's ]") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else { throw failure("has no host") }
        guard let decodedHost = String(host).removingPercentEncoding,
            decodedHost.allSatisfy({ !$0.isWhitespace && $0 != "/" && $0 != "@" })
        else { throw failure("has the invalid host \"\(host)\"") }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw failure("has port \"\(portText)\"; a port is a number from 1 to 65535")
            }
            port = value
        }
        return (decodedHost, port)
    }

    private static func isSchemaName(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, value.unicodeScalars.count <= 63, !("0"..."9").contains(first)
        else { return false }
        return value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func failure(_ problem: String) -> StoreError {
        StoreError.database("the PostgreSQL store URL \(problem)")
    }
}
