import AnvilResources
import AnvilStore
import ArgumentParser

/// `anvil delete KIND NAME`: removes the object, or marks it for deletion while finalizers remain.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an object (finalizers are honoured).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Kind (server, sc, env, mm, …).") var kind: String
    @Argument(help: "Name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace of namespaced kinds (default: default).") var namespace: String?

    func run() async throws {
        try await runCLI {
            let kind = try KindArgument.resolve(kind)
            let store = try await global.openStore()
            let namespace = kind.namespaced ? (self.namespace ?? "default") : ""
            let label = KindArgument.label(kind, name)
            do {
                switch try await store.delete(kind: kind.kind, namespace: namespace, name: name) {
                case .deleted:
                    out("\(label) deleted")
                case .deletionPending(let resource):
                    let finalizers = (resource.metadata.finalizers ?? []).joined(separator: ", ")
                    out("\(label) marked for deletion; waiting for finalizers: \(finalizers)")
                }
            } catch let error as StoreError {
                if case .notFound = error { throw CLIError("\(kind.plural) \"\(name)\" not found") }
                throw error
            }
        }
    }
}
