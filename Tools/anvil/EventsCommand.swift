import AnvilDaemon
import AnvilStore
import ArgumentParser
import Foundation

/// `anvil events [KIND NAME]`: recent events, oldest first.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List recent events, optionally of one object.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Kind of the object (optional).") var kind: String?
    @Argument(help: "Name of the object (optional).") var name: String?
    @Option(name: .shortAndLong, help: "Namespace of namespaced kinds (default: default).") var namespace: String?

    func run() async throws {
        try await runCLI {
            let store = try await global.openStore()
            var kindName: String?
            var namespace: String?
            if let kind {
                let resolved = try KindArgument.resolve(kind)
                kindName = resolved.kind
                if name != nil { namespace = resolved.namespaced ? (self.namespace ?? "default") : "" }
            }
            let events = try await store.events(kind: kindName, namespace: namespace, name: name)
            if events.isEmpty {
                StandardStream.error.write("No events found.\n")
            } else {
                out(EventTable.render(events, showObject: true))
            }
        }
    }
}
