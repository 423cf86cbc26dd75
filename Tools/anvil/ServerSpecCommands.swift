import AnvilDaemon
import AnvilJSON
import AnvilResources
import AnvilStore
import ArgumentParser

/// Sets one boolean in Servers' specs (accept, cordon, uncordon) with a read-modify-CAS write each.
enum ServerSpecFlag {
    /// Sets it on every named server, one write each: a server that fails (not found, a conflict)
    /// is reported and the others still change; the command then exits 1.
    static func set(_ field: String, to value: Bool, uuids: [String], global: GlobalOptions, verb: String) async throws {
        let failures = try await global.withWritableStore { store in
            var failures = 0
            for uuid in uuids {
                do {
                    try await set(field, to: value, uuid: uuid, store: store, verb: verb)
                } catch {
                    StandardStream.error.write("error: \(describe(error))\n")
                    failures += 1
                }
            }
            return failures
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The servers `anvil accept --all` takes: every Server not accepted yet, by name.
    static func waitingForAcceptance(global: GlobalOptions) async throws -> [String] {
        let store = try await global.openStore()
        return try await store.list(kind: "Server").filter { $0.spec?["accepted"]?.boolValue != true }.map(\.metadata.name).sorted()
    }

    private static func set(_ field: String, to value: Bool, uuid: String, store: Store, verb: String) async throws {
        guard let before = try await store.find(kind: "Server", namespace: "", name: uuid) else {
            throw CLIError("servers \"\(uuid)\" not found")
        }
        if before.spec?[field]?.boolValue == value {
            // Accepting again is how an operator retries a server whose lifecycle stalled.
            let server = try Server(before)
            if field == "accepted", value, let stall = server.status.condition(Server.conditionStalled), stall.status == "True" {
                _ = try await store.mutate(kind: "Server", namespace: "", name: uuid) { resource in
                    var server = try Server(resource)
                    server.status.clearLifecycleAttempts()
                    resource = server.resource
                }
                let why = stall.reason ?? "Stalled"
                out("server/\(uuid) retrying (it had stalled: \(why))")
                return
            }
            out("server/\(uuid) already \(verb)")
            return
        }
        let updated = try await store.mutate(kind: "Server", namespace: "", name: uuid) { server in
            var spec = server.spec ?? [:]
            spec[field] = .bool(value)
            server.spec = spec
        }
        let reason = verb.prefix(1).uppercased() + verb.dropFirst()
        try await store.recordEvent(
            for: updated, type: .normal, reason: reason, message: "server \(verb) by an operator", source: "anvil")
        out("server/\(uuid) \(verb)")
    }
}

struct AcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Accept discovered servers (spec.accepted = true).",
        discussion: "Name one or more servers, or --all for every server not accepted yet (a rack at a time).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUIDs.") var uuids: [String] = []
    @Flag(help: "Accept every server not accepted yet.") var all = false

    func validate() throws {
        if all && !uuids.isEmpty { throw ValidationError("name servers or give --all, not both") }
        if !all && uuids.isEmpty { throw ValidationError("name at least one server UUID, or give --all") }
    }

    func run() async throws {
        try await runCLI {
            let names = all ? try await ServerSpecFlag.waitingForAcceptance(global: global) : uuids
            if names.isEmpty {
                out("no servers are waiting for acceptance")
                return
            }
            try await ServerSpecFlag.set("accepted", to: true, uuids: names, global: global, verb: "accepted")
        }
    }
}

struct CordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cordon", abstract: "Exclude servers from every ServerClass.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUIDs.") var uuids: [String]

    func run() async throws {
        try await runCLI { try await ServerSpecFlag.set("cordoned", to: true, uuids: uuids, global: global, verb: "cordoned") }
    }
}

struct UncordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uncordon", abstract: "Return cordoned servers to their classes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUIDs.") var uuids: [String]

    func run() async throws {
        try await runCLI { try await ServerSpecFlag.set("cordoned", to: false, uuids: uuids, global: global, verb: "uncordoned") }
    }
}
