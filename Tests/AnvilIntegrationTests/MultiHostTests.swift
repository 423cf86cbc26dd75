import AnvilResources
import AnvilStore
import Foundation
import Synchronization
import Testing

/// Three Anvil hosts on this machine (`anvil up` each, own state and ports) sharing one
/// PostgreSQL schema, the Secret key and the machine-token key: every bootd gives the same boot
/// decision; the reconciler lease moves while the active reconciler is SIGKILLed under 500
/// allocations, with no double binding; PostgreSQL restarts amid them and every host carries on.
/// Needs ANVIL_TEST_POSTGRES_URL (fails without it). Ports: offsets 27000-31199.
@Suite(.serialized) struct MultiHostTests {
    static let machines = 500
    static let servers = 520
    static let kills = 10
    /// Set when an allocation check failed: the schema and logs are kept.
    static let doubtful = Mutex(false)

    @Test(.timeLimit(.minutes(6))) func threeHostsShareOnePostgreSQLStore() async throws {
        let postgres = try SharedPostgres()
        let keys = try TemporaryDirectory()
        let secretsKey = keys.url.appendingPathComponent("secrets.key")
        let tokenKey = keys.url.appendingPathComponent("machine-token.key")
        // The test's store makes the fresh schema's Secret key; the hosts get copies.
        let store = try await Store.open(location: .postgres(url: postgres.storeURL), secretsKey: secretsKey, validate: ResourceValidator.validate)
        try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: tokenKey)
        var hosts: [AnvilHost] = []
        var failure: (any Error)?
        do {
            let started = ContinuousClock.now
            let base = Int.random(in: 27000...30999)
            for index in 0..<3 {
                hosts.append(try AnvilHost(
                    index: index + 1, offset: base + 100 * index, storeURL: postgres.storeURL,
                    secretsKey: secretsKey, tokenKey: tokenKey, leaseDuration: "2s"))
            }
            for host in hosts {
                do {
                    try await host.up.waitForOutput("daemons running", timeout: .seconds(120))
                } catch {
                    // Which daemon held the start up, in its own words.
                    let logs = AnvilHost.services.map { "\($0.name): \(host.log($0.name).suffix(600))" }.joined(separator: "\n")
                    throw TestFailure("host \(host.index): \(error)\n\(logs)")
                }
            }
            print("multi-host: 3 hosts up in \(started.duration(to: .now)); connections \(await postgres.connections())")
            try await Self.sameBootDecision(hosts)
            try await Self.failover(hosts, store: store, postgres: postgres)
            try await Self.afterRestart(hosts, store: store, postgres: postgres)
        } catch {
            failure = error
        }
        for host in hosts {
            let clean = await host.stop()
            if failure == nil { #expect(clean, "host \(host.index) stopped on Ctrl-C: \(host.up.stdout.suffix(1000))") }
        }
        await store.close()
        if failure == nil, !Self.doubtful.withLock({ $0 }) {
            try? await postgres.drop()
        } else {
            // Kept for a post-mortem: the schema and every host's logs.
            for host in hosts { try? FileManager.default.copyItem(atPath: host.state.path + "/logs", toPath: "/tmp/multihost-\(postgres.schema)-host\(host.index)") }
            print("multi-host: FAILED — schema \(postgres.schema) kept; logs in /tmp/multihost-\(postgres.schema)-host*")
        }
        if let failure { throw failure }
    }

    /// An /ipxe decision with the host's own ports and the request's token taken out.
    static func decision(_ host: AnvilHost, uuid: String, mac: String) async throws -> String {
        let answer = try await HTTPGet.fetch("\(host.bootURL)/ipxe?uuid=\(uuid)&mac=\(mac)&arch=x86_64")
        let body = answer.body
            .replacingOccurrences(of: ":\(8081 + host.offset)", with: ":BOOTD")
            .replacingOccurrences(of: ":\(8082 + host.offset)", with: ":METADATAD")
            .replacingOccurrences(of: #"anvil\.token=[^ \n]+"#, with: "anvil.token=T", options: .regularExpression)
        return "\(answer.status) \(body)"
    }

    /// Waits until every host's bootd answers `expected`; the time each took.
    static func awaitDecision(_ hosts: [AnvilHost], uuid: String, mac: String, _ expected: (String) -> Bool) async throws -> [String] {
        var seen: [String] = []
        for host in hosts {
            let start = ContinuousClock.now
            var last = try await decision(host, uuid: uuid, mac: mac)
            while !expected(last) {
                guard start.duration(to: .now) < .seconds(30) else { throw TestFailure("host \(host.index) bootd still answers \(last)") }
                try await Task.sleep(for: .milliseconds(100))
                last = try await decision(host, uuid: uuid, mac: mac)
            }
            seen.append(last)
            print("multi-host: host \(host.index) bootd decided after \(start.duration(to: .now))")
        }
        return seen
    }

    static func serverManifest(_ uuid: String, mac: String) -> String {
        """
        apiVersion: metal.sidero.dev/v1alpha2
        kind: Server
        metadata:
          name: \(uuid)
        spec:
          accepted: true
          hardware:
            network:
              interfaces:
                - name: eth0
                  mac: "\(mac)"

        """
    }

    /// A Server created through host 1's CLI: each bootd refuses a MAC it does not have and
    /// serves the agent, with a token, to the one it has — the same decision everywhere.
    static func sameBootDecision(_ hosts: [AnvilHost]) async throws {
        let uuid = "4c4c4544-0000-1000-8000-00000000a001"
        let (mac, stranger) = ("52:54:00:a0:00:01", "52:54:00:a0:00:99")
        // Unknown before: the agent for any MAC (each bootd caches this answer).
        for host in hosts { #expect(try await decision(host, uuid: uuid, mac: stranger).hasPrefix("200 #!ipxe")) }
        try await hosts[0].cli("apply", "-f", "-", stdin: serverManifest(uuid, mac: mac))
        let refusals = try await awaitDecision(hosts, uuid: uuid, mac: stranger) { $0.hasPrefix("403 ") }
        #expect(Set(refusals).count == 1, "one decision: \(refusals)")
        let agents = try await awaitDecision(hosts, uuid: uuid, mac: mac) { $0.hasPrefix("200 #!ipxe") }
        #expect(Set(agents).count == 1, "one decision: \(agents)")
        #expect(agents.first?.contains("/env/agent-amd64/vmlinuz") == true)
        #expect(agents.first?.contains("sidero.mac=\(mac) anvil.token=T") == true, "\(agents)")
        print("multi-host: decision on every host: \(refusals[0].prefix(80))… / \(agents[0].prefix(60))…")
        try await Self.tokenWorksOnEveryHost(hosts, uuid: uuid, mac: mac)
    }

    /// A machine token handed out by one host's bootd is accepted by every host's metadatad (the
    /// token key and the boot attempts are shared), and a forged one by none.
    static func tokenWorksOnEveryHost(_ hosts: [AnvilHost], uuid: String, mac: String) async throws {
        let script = try await HTTPGet.fetch("\(hosts[0].bootURL)/ipxe?uuid=\(uuid)&mac=\(mac)&arch=x86_64").body
        let token = try #require(script.firstMatch(of: /anvil\.token=([^ \n]+)/).map { String($0.1) }, "a token in \(script)")
        for host in hosts {
            let base = "http://127.0.0.1:\(8082 + host.offset)/api/v1/servers/\(uuid)/heartbeat?token="
            let accepted = try await HTTPGet.exchange(base + token, method: "POST").status
            #expect(accepted == 200, "host \(host.index) metadatad took host 1's token: \(accepted)")
            let forged = try await HTTPGet.exchange(base + String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0"), method: "POST").status
            #expect(forged == 403, "host \(host.index) metadatad refused a forged token: \(forged)")
        }
        print("multi-host: host 1's machine token accepted by every host's metadatad, a forged one refused")
    }
}
