import AnvilResources
import AnvilStore
import ArgumentParser

/// `anvil delete KIND NAME`: removes the object, or marks it for deletion while finalizers remain.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an object (finalizers are honoured).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var object: ObjectArguments

    func run() async throws {
        try await runCLI {
            let (kind, namespace) = try object.resolve()
            let name = object.name
            let label = KindArgument.label(kind, name)
            do {
                switch try await global.withWritableStore({ try await $0.delete(kind: kind.kind, namespace: namespace, name: name) }) {
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
