import AnvilResources
import AnvilStore
import Foundation
import Testing

/// The reconciler lease across hosts: who holds it, and allocations while its holder is killed.
extension MultiHostTests {
    static func serverName(_ index: Int) -> String { String(format: "00000000-0000-4000-b000-%012ld", index) }

    /// The live lease's holder, with its pid and the host whose `anvil up` started that pid.
    static func activeReconciler(_ hosts: [AnvilHost], store: Store) async throws -> (holder: String, pid: Int32, host: AnvilHost)? {
        guard let lease = try await store.lease(name: "reconciler"), lease.expiresAt > Date() else { return nil }
        // The holder is `<hostname>/<pid>/<bus name>` (Services/reconciler/Core/LeaderLease.swift).
        guard let pid = lease.holder.split(separator: "/").dropFirst().first.flatMap({ Int32($0) }),
              let parent = parentPID(of: pid), let host = hosts.first(where: { $0.up.pid == parent }) else { return nil }
        return (lease.holder, pid, host)
    }

    /// The leader once there is one, nil after `limit`; store errors (a restarting PostgreSQL) are waited out.
    static func awaitLeader(_ hosts: [AnvilHost], store: Store, within limit: Duration) async throws -> (holder: String, pid: Int32, host: AnvilHost)? {
        let start = ContinuousClock.now
        while start.duration(to: .now) < limit {
            if let leader = try? await activeReconciler(hosts, store: store) { return leader }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// MetalMachines `m-<index>` of the ServerClass `any` (also AllocationRaceTests').
    static func machinesManifest(_ range: Range<Int>) -> String {
        range.map { index in
            """
            ---
            apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
            kind: MetalMachine
            metadata:
              name: m-\(index)
              namespace: default
            spec:
              serverClassRef:
                name: any

            """
        }.joined()
    }

    /// Exactly one reconciler leads; 500 machines are created through the three hosts' CLIs while
    /// the leading reconciler is SIGKILLed 10 times and PostgreSQL restarts after the 5th; every
    /// machine ends bound once.
    static func failover(_ hosts: [AnvilHost], store: Store, postgres: SharedPostgres) async throws {
        // Accepted servers the agent has already wiped.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: Self.servers, by: 4) {
                        var server = Server(metadata: ObjectMeta(name: serverName(index)), spec: ServerSpec(accepted: true))
                        server.status.isClean = true
                        _ = try await store.seed(server.resource)
                    }
                }
            }
            try await group.waitForAll()
        }
        // One leader: its pid is one host's reconciler; the other two stand by.
        let first = try #require(try await awaitLeader(hosts, store: store, within: .seconds(10)), "a reconciler of one of the hosts holds the lease")
        var reconcilerPIDs: [Int32?] = []
        for host in hosts { reconcilerPIDs.append(await host.reconcilerPID()) }
        #expect(reconcilerPIDs.filter { $0 == first.pid }.count == 1, "one leader among \(reconcilerPIDs): \(first.holder)")
        #expect(Set(reconcilerPIDs.compactMap { $0 }).count == 3, "three reconcilers: \(reconcilerPIDs)")
        print("multi-host: lease held by host \(first.host.index) (\(first.holder))")

        let started = ContinuousClock.now
        let creating = Task {
            var retries = 0
            for batch in stride(from: 0, to: Self.machines, by: 50) {
                // An apply cut off by the PostgreSQL restart is applied again, as an operator would.
                for attempt in 1...5 {
                    do {
                        try await hosts[(batch / 50) % 3].cli("apply", "-f", "-", stdin: machinesManifest(batch..<(batch + 50)))
                        break
                    } catch where attempt < 5 {
                        retries += 1
                        try await Task.sleep(for: .seconds(2))
                    }
                }
            }
            return retries
        }
        var takeovers: [String] = []
        var unprovoked = 0
        var peakConnections = 0
        var peakServer = 0
        var kills = 0
        while kills < Self.kills {
            guard let victim = try await awaitLeader(hosts, store: store, within: .seconds(30)) else {
                throw TestFailure("no reconciler took the lease within 30 s; takeovers so far \(takeovers)")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500)))
            // Under load a leader can miss its renewals and lose the lease unkilled: counted, not killed.
            guard (try? await activeReconciler(hosts, store: store))?.holder == victim.holder else {
                unprovoked += 1
                continue
            }
            kill(victim.pid, SIGKILL)
            kills += 1
            let killed = ContinuousClock.now
            // The next holder: another process (another host, or the killed host's restarted reconciler).
            var next = try? await activeReconciler(hosts, store: store)
            while next == nil || next?.holder == victim.holder {
                guard killed.duration(to: .now) < .seconds(30) else { throw TestFailure("the lease stayed with \(victim.holder) 30 s after its kill") }
                try await Task.sleep(for: .milliseconds(20))
                next = try? await activeReconciler(hosts, store: store)
            }
            let takeover = killed.duration(to: .now)
            takeovers.append("host \(victim.host.index)→\(next!.host.index) \(seconds(takeover))")
            // Within the lease (2 s) plus a standby's retry period (a third of it), with slack for
            // load; the kill right after the PostgreSQL restart may also wait for reconnection.
            if kills != Self.kills / 2 + 1 {
                #expect(takeover < .seconds(5), "takeover \(takeovers.count) took \(seconds(takeover)) with a 2 s lease")
            }
            let sample = await postgres.connections()
            peakConnections = max(peakConnections, sample.schema)
            peakServer = max(peakServer, sample.server)
            if kills == Self.kills / 2 { try await restartPostgres(hosts, postgres: postgres) }
        }
        let retries = try await creating.value
        print("multi-host: \(Self.kills) kills of the leading reconciler; takeovers: \(takeovers.joined(separator: ", ")); "
            + "leases lost unkilled: \(unprovoked); applies retried: \(retries)")

        let (machines, bindings) = try await settledAllocations(store, expected: Self.machines, within: .seconds(150))
        print("multi-host: \(machines.count) machines, \(bindings.count) bindings, settled \(seconds(started.duration(to: .now))) after the first apply; "
            + "connections of the schema peaked at \(peakConnections), of the server at \(peakServer) (max_connections \((try? await postgres.scalar("SHOW max_connections")) ?? "?"))")
        expectBoundOnce(machines: machines, bindings: bindings, expected: Self.machines)
        #expect(peakConnections <= 3 * 6 * 5, "connections within the pools' bound")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Polls until `expected` machines all have a server and as many bindings exist.
    static func settledAllocations(_ store: Store, expected: Int, within limit: Duration) async throws -> ([MetalMachine], [ServerBinding]) {
        let deadline = ContinuousClock.now + limit
        var machines: [MetalMachine] = []
        var bindings: [ServerBinding] = []
        while ContinuousClock.now < deadline {
            machines = (try? await store.list(kind: "MetalMachine").map(MetalMachine.init)) ?? machines
            bindings = (try? await store.list(kind: "ServerBinding").map(ServerBinding.init)) ?? bindings
            if machines.count == expected, bindings.count == expected, machines.allSatisfy({ $0.spec.serverRef?.name != nil }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return (machines, bindings)
    }

    /// One binding per machine, no server bound twice, each machine naming its own binding.
    static func expectBoundOnce(machines: [MetalMachine], bindings: [ServerBinding], expected: Int) {
        #expect(machines.count == expected)
        #expect(bindings.count == expected, "one binding per machine")
        let boundMachines = bindings.map { "\($0.spec.metalMachineRef.namespace ?? "")/\($0.spec.metalMachineRef.name ?? "")" }
        #expect(Set(boundMachines).count == bindings.count, "no machine bound twice")
        let servers = machines.compactMap { $0.spec.serverRef?.name }
        #expect(servers.count == expected && Set(servers).count == servers.count, "no server bound twice")
        // A binding is named by its server; each machine's serverRef names its own binding.
        let bindingByMachine = Dictionary(boundMachines.indices.map { (boundMachines[$0], bindings[$0].metadata.name) }) { first, _ in first }
        let mismatched = machines.filter { $0.spec.serverRef?.name != bindingByMachine["default/\($0.metadata.name)"] }
        #expect(mismatched.isEmpty, "machines whose serverRef is not their binding: \(mismatched.prefix(5).map(\.metadata.name))")
        // Evidence: each machine bound twice or not at all, with its bindings.
        let byMachine = Dictionary(grouping: bindings) { $0.spec.metalMachineRef.name ?? "" }
        for machine in machines where (byMachine[machine.metadata.name]?.count ?? 0) != 1 {
            doubtful.withLock { $0 = true }
            let own = (byMachine[machine.metadata.name] ?? []).map { "\($0.metadata.name) created \($0.metadata.creationTimestamp ?? "?") rv \($0.metadata.resourceVersion ?? "?")" }
            print("multi-host: EVIDENCE machine \(machine.metadata.name) created \(machine.metadata.creationTimestamp ?? "?") serverRef \(machine.spec.serverRef?.name ?? "none") "
                + "conditions \((machine.status.conditions ?? []).map { "\($0.type)=\($0.status) \($0.reason ?? "") \($0.lastTransitionTime ?? "")" }); bindings \(own)")
        }
    }
}
