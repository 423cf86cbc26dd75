@testable import AnvilStore
import Testing

/// `postgres://` store URLs: the parts, the defaults, and errors that never repeat the password.
@Suite struct PostgresURLTests {
    @Test func parsesEveryPart() throws {
        let url = try PostgresURL(
            parsing: "postgresql://an%40vil:p%40ss%2Fw:rd@db.example:6543/anvil_db?schema=fleet_1&sslmode=require")
        #expect(url.user == "an@vil" && url.password == "p@ss/w:rd")
        #expect(url.host == "db.example" && url.port == 6543 && url.database == "anvil_db")
        #expect(url.schema == "fleet_1" && url.sslMode == .require)
        #expect(!url.description.contains("p@ss") && url.description.contains("***"))
        #expect(url.endpoint == "db.example:6543")
    }

    @Test func defaults() throws {
        let url = try PostgresURL(parsing: "postgres://anvil@127.0.0.1")
        #expect(url.password == nil && url.port == 5432 && url.database == "anvil")
        #expect(url.schema == "public" && url.sslMode == .disable)
        let v6 = try PostgresURL(parsing: "postgres://u:pw@[::1]:5433/d")
        #expect(v6.host == "::1" && v6.port == 5433 && v6.endpoint == "[::1]:5433")
        // An unencoded "@", "/" or "?" in the password cannot move the host.
        let raw = try PostgresURL(parsing: "postgres://u:a@b/c?d@h/db?schema=s")
        #expect(raw.password == "a@b/c?d" && raw.host == "h" && raw.database == "db" && raw.schema == "s")
    }

    @Test(arguments: [
        ("mysql://u:hunter2@h/d", "postgres://"),
        ("postgres://hunter2", "no user"),
        ("postgres://u:hunter2@/d", "no host"),
        ("postgres://u:hunter2@h:99999/d", "port \"99999\""),
        ("postgres://u:hunter2@h:abc/d", "port \"abc\""),
        ("postgres://u:hunter2@h/d?schema=Bad-Name", "schema \"Bad-Name\""),
        ("postgres://u:hunter2@h/d?schema=1abc", "schema \"1abc\""),
        ("postgres://u:hunter2@h/d?sslmode=prefer", "sslmode \"prefer\""),
        ("postgres://u:hunter2@h/d?timeout=3", "parameter \"timeout\""),
        ("postgres://u:hunter2%zz@h/d", "password that is not valid"),
    ])
    func refusesBadInputWithoutThePassword(text: String, named: String) {
        do {
            _ = try PostgresURL(parsing: text)
            Issue.record("\(named): accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains(named), "\(message)")
            #expect(!message.contains("hunter2"), "\(message)")
            #expect(error is StoreError)
        }
    }
}
