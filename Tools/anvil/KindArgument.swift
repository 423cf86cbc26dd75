import AnvilResources

/// Resolves a command-line kind name (server, srv, sc, env, mm, sb, mc, mmt, secret…) or fails with the list.
enum KindArgument {
    static func resolve(_ name: String) throws -> ResourceKind {
        if let kind = ResourceKinds.named(name) { return kind }
        let names = ResourceKinds.all.map { ([$0.kind.lowercased()] + $0.shortNames.filter { $0 != $0.lowercased() + "s" }).joined(separator: "/") }
        throw CLIError("the server doesn't have a resource type \"\(name)\" (known: \(names.joined(separator: ", ")))")
    }

    static func label(_ kind: ResourceKind, _ name: String) -> String { "\(kind.kind.lowercased())/\(name)" }
}
