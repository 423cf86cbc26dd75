import AnvilBoot
import AnvilBus
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Under `anvil up` with three bootd replicas, each daemon is SIGKILLed in turn while real
/// clients keep a TFTP storm, `/ipxe` requests, agent registrations and CLI applies going. The
/// supervisor restarts each one, clients recover by retrying, and nothing acknowledged is lost
/// or doubled. Ports: offsets 23000-26999 (see the other `anvil up` suites).
@Suite struct KilledUnderLoadTests {
    static let victims = ["tftpd", "bootd-r1", "metadatad", "bmcd", "reconciler"]

    @Test func everyDaemonKilledUnderLoadRecovers() async throws {
        let state = try TemporaryDirectory()
        let offset = Int.random(in: 23000...26999)
        let tftpRoot = state.url.appendingPathComponent("tftp")
        try FileManager.default.createDirectory(at: tftpRoot, withIntermediateDirectories: true)
        try Data((0..<(256 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: tftpRoot.appendingPathComponent("storm.bin"))
        let up = try ChildProcess(
            BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)", "--bootd-replicas", "3", "--quiet"],
            environment: ["ANVIL_STATE": state.path])
        defer { if up.isRunning { up.signal(SIGKILL) } }
        try await up.waitForOutput("daemons running", timeout: .seconds(120))

        let tally = LoadTally()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await Self.tftpStorm(port: 6969 + offset, tally: tally) } }
            for worker in 0..<3 { group.addTask { try await Self.ipxeLoad(port: 8081 + offset, worker: worker, tally: tally) } }
            let tokens = try MachineTokenKey.loadOrCreate(stateDirectory: state.url)
            group.addTask { try await Self.registrations(port: 8082 + offset, tokens: tokens, tally: tally) }
            group.addTask { try await Self.applies(state: state, tally: tally) }
            group.addTask {
                defer { tally.stop() }
                // Load first, then one kill at a time, each after the previous daemon is back.
                try await Task.sleep(for: .seconds(2))
                for victim in Self.victims {
                    let elapsed = try await Self.killAndAwaitRestart(victim, state: state)
                    print("killed \(victim): back under a new pid after \(elapsed)")
                    try await Task.sleep(for: .seconds(1))
                }
            }
            try await group.waitForAll()
        }
        let counts = tally.snapshot
        print("load over \(ContinuousClock.now - started): tftp ok \(counts.tftpOK) failed \(counts.tftpFailed); "
            + "ipxe ok \(counts.ipxeOK) failed \(counts.ipxeFailed); registrations \(counts.registrations.count) "
            + "(retries \(counts.registrationRetries)); applies \(counts.applies.count) (retries \(counts.applyRetries))")
        for victim in Self.victims {
            let log = (try? String(contentsOfFile: "\(state.path)/logs/\(victim).log", encoding: .utf8)) ?? ""
            #expect(log.contains("\(victim) was killed by signal 9; restarting"), "the supervisor restarted \(victim)")
        }
        #expect(counts.tftpOK > 0)
        #expect(counts.ipxeOK > 0)
        #expect(!counts.registrations.isEmpty)
        #expect(!counts.applies.isEmpty)

        // Nothing acknowledged is lost or doubled.
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let environments = try await store.list(kind: "Environment").map(\.name)
        for name in counts.applies {
            #expect(environments.filter { $0 == name }.count == 1, "applied \(name) is stored once")
        }
        let servers = try await store.list(kind: "Server").map(\.name)
        for uuid in counts.registrations {
            #expect(servers.filter { $0 == uuid }.count == 1, "registered \(uuid) is stored once")
        }
        #expect(try await store.integrityCheck() == "ok")

        up.signal(SIGINT)
        let result = try await up.wait(timeout: .seconds(60))
        #expect(result.status == 0)
    }

    /// SIGKILLs the process behind `busName` and waits until a new one answers.
    static func killAndAwaitRestart(_ busName: String, state: TemporaryDirectory) async throws -> Duration {
        let socket = "\(state.path)/run/\(busName).sock"
        let first = try await pid(socket, timeout: .seconds(30))
        kill(Int32(first), SIGKILL)
        let killed = ContinuousClock.now
        while ContinuousClock.now - killed < .seconds(60) {
            if let next = try? await pid(socket, timeout: .seconds(1)), next != first { return ContinuousClock.now - killed }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(busName) did not come back within 60 s of SIGKILL")
    }

    static func pid(_ socket: String, timeout: Duration) async throws -> Int64 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let client = BusClient(socketPath: socket, defaultTimeout: .seconds(1))
            let answer = try? await client.call("service.info")["pid"]?.intValue
            await client.close()
            if let answer { return answer }
            if ContinuousClock.now > deadline { throw TestFailure("no answer on \(socket)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func curl(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sS"] + arguments, timeout: .seconds(30))
    }

    static func tftpStorm(port: Int, tally: LoadTally) async throws {
        while !tally.isStopped {
            let result = try await curl(["--max-time", "10", "-o", "/dev/null", "-w", "%{size_download}", "tftp://127.0.0.1:\(port)/storm.bin"])
            let complete = result.status == 0 && result.stdout == "\(256 << 10)"
            tally.update { complete ? ($0.tftpOK += 1) : ($0.tftpFailed += 1) }
            if !complete { try await Task.sleep(for: .milliseconds(200)) }
        }
    }

    static func ipxeLoad(port: Int, worker: Int, tally: LoadTally) async throws {
        var index = 0
        while !tally.isStopped {
            index += 1
            let uuid = String(format: "00000000-0000-4000-8000-%012x", worker * 1_000_000 + index)
            let result = try await curl([
                "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:\(port)/ipxe?uuid=\(uuid)&mac=52-54-00-00-00-01&arch=x86_64",
            ])
            let answered = result.status == 0 && (Int(result.stdout) ?? 0) >= 200 && (Int(result.stdout) ?? 0) < 500
            tally.update { answered ? ($0.ipxeOK += 1) : ($0.ipxeFailed += 1) }
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
    }

    /// Each registration is retried until metadatad acknowledges it (or the test gives up on it).
    static func registrations(port: Int, tokens: MachineTokenKey, tally: LoadTally) async throws {
        var index = 0
        while !tally.isStopped {
            index += 1
            let uuid = String(format: "11111111-0000-4000-8000-%012x", index)
            let body = "{\"uuid\":\"\(uuid)\",\"hostname\":\"load-\(index)\"}"
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let result = try await curl([
                    "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Content-Type: application/json",
                    "--data", body, "http://127.0.0.1:\(port)/api/v1/register?token=\(tokens.attemptToken(uuid: uuid, address: "127.0.0.1", issuedAt: Date(), nonce: UInt32(index)).text)",
                ])
                if result.status == 0, let code = Int(result.stdout), (200..<300).contains(code) {
                    tally.update { $0.registrations.append(uuid) }
                    break
                }
                tally.update { $0.registrationRetries += 1 }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func applies(state: TemporaryDirectory, tally: LoadTally) async throws {
        let anvil = AnvilCLI(state: state)
        var index = 0
        while !tally.isStopped {
            index += 1
            let name = "load-env-\(index)"
            let manifest = "apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: \(name)\nspec: {}\n"
            for _ in 0..<20 {
                let result = try await anvil.run(["apply", "-f", "-"], stdin: manifest)
                if result.status == 0 {
                    tally.update { $0.applies.append(name) }
                    break
                }
                tally.update { $0.applyRetries += 1 }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
