import AnvilStore
import Foundation
import Testing
@testable import AnvilDaemon

/// `--store` / ANVIL_STORE and `--secrets-key` / ANVIL_SECRETS_KEY, as every daemon resolves them.
@Suite struct DaemonStoreSettingTests {
    private func make(_ arguments: [String] = [], env: [String: String] = [:]) throws -> DaemonConfig {
        try DaemonConfig(
            descriptor: .bootd, options: try DaemonOptions.parse(arguments),
            source: SettingSource(environment: env, currentDirectory: "/srv"))
    }

    @Test func defaultIsSQLiteInTheStateDirectory() throws {
        let config = try make(["--state", "/var/lib/anvil"])
        #expect(config.store == .sqlite(path: URL(fileURLWithPath: "/var/lib/anvil/anvil.db")))
        #expect(config.secretsKey.path == "/var/lib/anvil/secrets.key")
    }

    @Test func flagAndVariableNameTheStoreAndKey() throws {
        let fromFlag = try make(["--store", "sqlite:data/a.db", "--secrets-key", "keys/s.key"])
        #expect(fromFlag.store == .sqlite(path: URL(fileURLWithPath: "/srv/data/a.db")))
        #expect(fromFlag.secretsKey.path == "/srv/keys/s.key")
        let url = "postgres://anvil:s3cret@db.example:5432/anvil?schema=site1"
        let fromEnv = try make(env: ["ANVIL_STORE": url, "ANVIL_SECRETS_KEY": "/etc/anvil/secrets.key"])
        #expect(fromEnv.store == .postgres(url: url))
        #expect(fromEnv.secretsKey.path == "/etc/anvil/secrets.key")
        // service.info shows the store without its password.
        #expect(fromEnv.summary["store"] == "postgres://anvil:***@db.example:5432/anvil?schema=site1")
    }

    @Test(arguments: [
        ("mysql://anvil:s3cret@db/anvil", "the scheme is neither"),
        ("sqlite:", "has no file path"),
        ("postgres://anvil:s3cret@/anvil", "has no host"),
        ("/var/lib/anvil/anvil.db", "the scheme is neither"),
    ])
    func badStoresAreRefusedNamingTheSettingWithoutThePassword(_ value: String, _ reason: String) throws {
        for (arguments, env, origin) in [([ "--store", value ], [String: String](), "--store"), ([], ["ANVIL_STORE": value], "ANVIL_STORE")] {
            do {
                _ = try make(arguments, env: env)
                Issue.record("\(value) was accepted")
            } catch {
                let text = "\(error)"
                #expect(text.hasPrefix("\(origin): "), "\(text)")
                #expect(text.contains(reason), "\(text)")
                #expect(!text.contains("s3cret"), "\(text)")
            }
        }
    }

    @Test func maskingLeavesURLsWithoutAPasswordAlone() {
        #expect(StoreLocation.masked("postgres://a:b@h/d") == "postgres://a:***@h/d")
        #expect(StoreLocation.masked("postgres://a@h/d") == "postgres://a@h/d")
        #expect(StoreLocation.masked("postgres://h/d?x=a:b@c") == "postgres://h/d?x=a:b@c")
        #expect(StoreLocation.masked("sqlite:/x:y@z") == "sqlite:/x:y@z")
    }
}
