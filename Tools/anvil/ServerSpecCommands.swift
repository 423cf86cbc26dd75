import AnvilJSON
import AnvilResources
import AnvilStore
import ArgumentParser

/// Sets one boolean in a Server's spec (accept, cordon, uncordon) with a read-modify-CAS write.
enum ServerSpecFlag {
    static func set(_ field: String, to value: Bool, uuid: String, global: GlobalOptions, verb: String) async throws {
        try await global.withWritableStore { store in try await set(field, to: value, uuid: uuid, store: store, verb: verb) }
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
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept a discovered server (spec.accepted = true).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUID.") var uuid: String

    func run() async throws {
        try await runCLI { try await ServerSpecFlag.set("accepted", to: true, uuid: uuid, global: global, verb: "accepted") }
    }
}

struct CordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cordon", abstract: "Exclude a server from every ServerClass.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUID.") var uuid: String

    func run() async throws {
        try await runCLI { try await ServerSpecFlag.set("cordoned", to: true, uuid: uuid, global: global, verb: "cordoned") }
    }
}

struct UncordonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uncordon", abstract: "Return a cordoned server to its classes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Server UUID.") var uuid: String

    func run() async throws {
        try await runCLI { try await ServerSpecFlag.set("cordoned", to: false, uuid: uuid, global: global, verb: "uncordoned") }
    }
}
