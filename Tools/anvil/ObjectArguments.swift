import AnvilResources
import ArgumentParser

/// `KIND NAME [-n NAMESPACE]`, shared by the commands that act on one object.
struct ObjectArguments: ParsableArguments {
    @Argument(help: "Kind (server, sc, env, mm, …).") var kind: String
    @Argument(help: "Name.") var name: String
    @Option(name: .shortAndLong, help: "Namespace of namespaced kinds (default: default).") var namespace: String?

    /// The kind, and the namespace to use for it ("" for cluster-scoped kinds).
    func resolve() throws -> (kind: ResourceKind, namespace: String) {
        let kind = try KindArgument.resolve(self.kind)
        return (kind, kind.namespaced ? (namespace ?? "default") : "")
    }
}
