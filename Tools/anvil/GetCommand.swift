import AnvilDaemon
import AnvilJSON
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// `anvil get KIND [NAME]`: tables like kubectl's, or yaml/json/name; `-w` follows changes.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show objects of one kind (server, serverclass/sc, environment/env, metalmachine/mm, …).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Kind: server/srv, serverclass/sc, environment/env, metalcluster/mc, metalmachine/mm, metalmachinetemplate/mmt, serverbinding/sb, secret.")
    var kind: String

    @Argument(help: "Name of one object.")
    var name: String?

    @Option(name: .shortAndLong, help: "Output: wide, yaml, json or name.")
    var output: OutputFormat = .table

    @Option(name: [.customShort("l"), .long], help: "Label selector, e.g. rack=r1,zone in (a,b),!spare.")
    var selector: String?

    @Option(name: .shortAndLong, help: "Namespace of namespaced kinds (default: default).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List every namespace.")
    var allNamespaces = false

    @Flag(name: [.customShort("w"), .long], help: "After listing, print each change as it happens (Ctrl-C stops).")
    var watch = false

    func run() async throws {
        try await runCLI {
            let kind = try KindArgument.resolve(kind)
            let labelSelector = try selector.map { text in
                do { return try LabelSelector(parsing: text) } catch { throw CLIError("-l \(text): \(describe(error))") }
            }
            let store = try await global.openStore()
            let scope: String? = kind.namespaced ? (allNamespaces ? nil : (namespace ?? "default")) : ""
            let startRevision = try await store.currentRevision()
            let resources = try await load(store: store, kind: kind, scope: scope, selector: labelSelector)
            if resources.isEmpty && name == nil && output != .json && output != .yaml {
                let place = kind.namespaced && !allNamespaces ? " in \(scope ?? "default") namespace" : ""
                StandardStream.error.write("No resources found\(place).\n")
            } else {
                out(render(resources, kind: kind, single: name != nil, header: true))
            }
            if watch {
                try await follow(store: store, kind: kind, scope: scope, selector: labelSelector, from: startRevision)
            }
        }
    }

    private func load(store: Store, kind: ResourceKind, scope: String?, selector: LabelSelector?) async throws -> [Resource] {
        if let name {
            let namespace = kind.namespaced ? (scope ?? "default") : ""
            guard let found = try await store.find(kind: kind.kind, namespace: namespace, name: name) else {
                throw CLIError("\(kind.plural) \"\(name)\" not found")
            }
            return [found]
        }
        return try await store.list(kind: kind.kind, namespace: scope, selector: selector)
    }

    private func render(_ resources: [Resource], kind: ResourceKind, single: Bool, header: Bool) -> String {
        let shown = resources.map(SecretRedaction.redact)
        switch output {
        case .yaml:
            return single ? Manifest.yaml(shown[0]) : Manifest.yaml(shown)
        case .json:
            if single { return shown[0].json.jsonString(pretty: true) }
            let list: JSONValue = ["apiVersion": "v1", "kind": "List", "items": .array(shown.map(\.json))]
            return list.jsonString(pretty: true)
        case .name:
            return shown.map { KindArgument.label(kind, $0.name) }.joined(separator: "\n")
        case .table, .wide:
            let table = ResourceColumns.table(for: kind, resources: shown, wide: output == .wide, allNamespaces: allNamespaces)
            let text = table.render()
            return header ? text : text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        }
    }

    /// Polls the change feed (cross-process notification does not exist in SQLite) and prints changed objects.
    private func follow(store: Store, kind: ResourceKind, scope: String?, selector: LabelSelector?, from start: Int64) async throws {
        var revision = start
        while !Task.isCancelled {
            let changes = try await store.changes(after: revision, limit: 1000)
            for change in changes {
                revision = max(revision, change.revision)
                guard change.kind == kind.kind, name == nil || change.name == name else { continue }
                guard scope == nil || change.namespace == scope else { continue }
                if let current = try await store.find(kind: change.kind, namespace: change.namespace, name: change.name) {
                    guard selector?.matches(current.metadata.labels) ?? true else { continue }
                    out(render([current], kind: kind, single: true, header: false))
                } else if output == .table || output == .wide || output == .name {
                    out("\(KindArgument.label(kind, change.name)) deleted")
                }
                }
            if changes.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
    }
}
