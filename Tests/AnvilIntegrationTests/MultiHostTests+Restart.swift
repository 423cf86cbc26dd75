import AnvilResources
import AnvilStore
import Foundation
import Testing

/// PostgreSQL restarted under three running hosts.
extension MultiHostTests {
    /// `pg_ctlcluster … restart` in the middle of the allocations; every daemon of every host answers /healthz after it.
    static func restartPostgres(_ hosts: [AnvilHost], postgres: SharedPostgres) async throws {
        let before = await postgres.connections()
        let restarting = ContinuousClock.now
        try await SharedPostgres.restartServer()
        print("multi-host: PostgreSQL restarted in \(seconds(restarting.duration(to: .now))) (connections before: schema \(before.schema), server \(before.server))")
        for host in hosts {
            let took = try await host.waitHealthy(timeout: .seconds(60))
            print("multi-host: host \(host.index) healthy \(seconds(took)) after the restart")
        }
    }

    /// After the restart, writes through one host reach the others' bootd and reconciler, and nothing is doubled.
    static func afterRestart(_ hosts: [AnvilHost], store: Store, postgres: SharedPostgres) async throws {

        // A Server and a MetalMachine written through host 2: each bootd sees the server, the
        // leading reconciler (whichever host) binds the machine.
        let uuid = "4c4c4544-0000-1000-8000-00000000a002"
        let (mac, stranger) = ("52:54:00:a0:00:02", "52:54:00:a0:00:98")
        try await hosts[1].cli("apply", "-f", "-", stdin: serverManifest(uuid, mac: mac))
        let refusals = try await awaitDecision(hosts, uuid: uuid, mac: stranger) { $0.hasPrefix("403 ") }
        #expect(Set(refusals).count == 1, "one decision: \(refusals)")
        try await hosts[1].cli("apply", "-f", "-", stdin: machinesManifest(machines..<(machines + 1)))
        for host in hosts {
            let shown = try await host.cli("get", "server", uuid)
            #expect(shown.contains(uuid), "host \(host.index) lists the new server: \(shown)")
        }

        let (allMachines, bindings) = try await settledAllocations(store, expected: machines + 1, within: .seconds(60))
        expectBoundOnce(machines: allMachines, bindings: bindings, expected: machines + 1)
        let serverCount = try await store.list(kind: "Server").count
        #expect(serverCount == servers + 2, "no server doubled or lost: \(serverCount)")

        // One leader still, renewing its lease.
        let leader = try await activeReconciler(hosts, store: store)
        #expect(leader != nil, "a host's reconciler holds the lease after the restart")
        let after = await postgres.connections()
        print("multi-host: after the restart lease held by host \(leader?.host.index ?? 0); connections: schema \(after.schema), server \(after.server)")
        for host in hosts {
            let restarts = host.log("reconciler").components(separatedBy: "was killed by signal").count - 1
            let crashed = AnvilHost.services.map(\.name).filter { host.log($0).contains("exited with status") }
            print("multi-host: host \(host.index): reconciler killed \(restarts)×; daemons that exited on their own: \(crashed)")
            #expect(crashed.isEmpty, "no daemon of host \(host.index) exited on its own: \(crashed)")
        }
    }
}
