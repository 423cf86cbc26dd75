/// What Anvil knows about one kind: its group, versions, scope and the names the CLI accepts.
public struct ResourceKind: Sendable, Hashable {
    public let kind: String
    public let group: String
    public let versions: [String]
    /// The version objects are stored (and shown) in.
    public let storageVersion: String
    public let namespaced: Bool
    public let plural: String
    public let shortNames: [String]

    public var storageAPIVersion: String { group.isEmpty ? storageVersion : "\(group)/\(storageVersion)" }
    public var apiVersions: [String] { versions.map { group.isEmpty ? $0 : "\(group)/\($0)" } }

    /// Every name `anvil get` accepts for this kind, lower-cased.
    public var cliNames: Set<String> {
        let lower = kind.lowercased()
        var names: Set<String> = [lower, plural]
        names.formUnion(shortNames)
        if !group.isEmpty {
            names.insert("\(plural).\(group)")
            names.insert("\(lower).\(group)")
        }
        return names
    }
}

/// The kinds Anvil serves (README "Quick start" lists their short names).
public enum ResourceKinds {
    public static let metalGroup = "metal.sidero.dev"
    public static let infraGroup = "infrastructure.cluster.x-k8s.io"

    public static let server = ResourceKind(
        kind: "Server", group: metalGroup, versions: ["v1alpha1", "v1alpha2"], storageVersion: "v1alpha2",
        namespaced: false, plural: "servers", shortNames: ["server", "srv"])
    public static let serverClass = ResourceKind(
        kind: "ServerClass", group: metalGroup, versions: ["v1alpha1", "v1alpha2"], storageVersion: "v1alpha2",
        namespaced: false, plural: "serverclasses", shortNames: ["sc"])
    public static let environment = ResourceKind(
        kind: "Environment", group: metalGroup, versions: ["v1alpha1", "v1alpha2"], storageVersion: "v1alpha2",
        namespaced: false, plural: "environments", shortNames: ["env", "envs"])
    public static let metalCluster = ResourceKind(
        kind: "MetalCluster", group: infraGroup, versions: ["v1alpha3"], storageVersion: "v1alpha3",
        namespaced: true, plural: "metalclusters", shortNames: ["mc"])
    public static let metalMachine = ResourceKind(
        kind: "MetalMachine", group: infraGroup, versions: ["v1alpha3"], storageVersion: "v1alpha3",
        namespaced: true, plural: "metalmachines", shortNames: ["mm"])
    public static let metalMachineTemplate = ResourceKind(
        kind: "MetalMachineTemplate", group: infraGroup, versions: ["v1alpha3"], storageVersion: "v1alpha3",
        namespaced: true, plural: "metalmachinetemplates", shortNames: ["mmt"])
    public static let serverBinding = ResourceKind(
        kind: "ServerBinding", group: infraGroup, versions: ["v1alpha3"], storageVersion: "v1alpha3",
        namespaced: false, plural: "serverbindings", shortNames: ["sb"])
    public static let secret = ResourceKind(
        kind: "Secret", group: "", versions: ["v1"], storageVersion: "v1",
        namespaced: true, plural: "secrets", shortNames: [])

    public static let all: [ResourceKind] = [
        server, serverClass, environment, metalCluster, metalMachine, metalMachineTemplate, serverBinding, secret,
    ]

    /// The kind named on a command line (`srv`, `servers`, `ServerClass`, `sc`…), case-insensitive.
    public static func named(_ name: String) -> ResourceKind? {
        let lower = name.lowercased()
        return all.first { $0.cliNames.contains(lower) }
    }

    /// The kind a manifest's apiVersion + kind names, if Anvil serves it in that version.
    public static func served(apiVersion: String, kind: String) -> ResourceKind? {
        all.first { $0.kind == kind && $0.apiVersions.contains(apiVersion) }
    }

    /// The kind by its exact `kind` string, any version.
    public static func kind(_ kind: String) -> ResourceKind? {
        all.first { $0.kind == kind }
    }
}
