import AnvilResources
import AnvilStore
import ArgumentParser

/// `anvil describe KIND NAME`: the object, then its recent events.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show one object in full, with its recent events.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var object: ObjectArguments

    func run() async throws {
        try await runCLI {
            let (kind, namespace) = try object.resolve()
            let name = object.name
            let store = try await global.openStore()
            guard let resource = try await store.find(kind: kind.kind, namespace: namespace, name: name) else {
                throw CLIError("\(kind.plural) \"\(name)\" not found")
            }
            out(Manifest.yaml(SecretRedaction.redact(resource)), terminator: "")
            let events = try await store.events(kind: kind.kind, namespace: namespace, name: name)
            out("Events:", events.isEmpty ? "<none>" : "")
            if !events.isEmpty { out(EventTable.render(events.suffix(20), showObject: false)) }
            if kind.kind == ResourceKinds.server.kind {
                out("Timeline: anvil timeline \(name)   (every step: power, TFTP, /ipxe, agent, config, allocation)")
            }
        }
    }
}
