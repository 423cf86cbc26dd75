import AnvilConfigData
import AnvilJSON
import AnvilResources

/// Inputs shared by the suites: a Talos v1alpha1 worker config as CABPT writes it (abridged).
enum ConfigDataFixtures {
    static let uuid = "4c4c4544-0035-4b10-8048-b4c04f4a4d32"
    static let label = "metal.sidero.dev/uuid=" + uuid

    static let talosWorker = """
        version: v1alpha1
        debug: false
        persist: true
        machine:
          type: worker
          token: 8f2x1q.k3d9s0a8f7g6h5j4
          ca:
            crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
            key: ""
          certSANs: []
          kubelet:
            image: ghcr.io/siderolabs/kubelet:v1.30.1
            defaultRuntimeSeccompProfileEnabled: true
          network: {}
          install:
            disk: /dev/sda
            image: ghcr.io/siderolabs/installer:v1.7.4
            wipe: false
          features:
            rbac: true
            stableHostname: true
        cluster:
          id: 0Wq3bZ1xkPq9d8X6hYt2cQ
          secret: c2VjcmV0LXNlY3JldC1zZWNyZXQ=
          controlPlane:
            endpoint: https://10.5.0.2:6443
          clusterName: management
          network:
            dnsDomain: cluster.local
            podSubnets:
              - 10.244.0.0/16
            serviceSubnets:
              - 10.96.0.0/12
          token: w7v9o1.4m2c8dk7r6s5q3p1
          ca:
            crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t

        """

    /// A second document as Talos multi-document configs carry them.
    static let sideroLink = """
        apiVersion: v1alpha1
        kind: SideroLinkConfig
        apiUrl: grpc://10.5.0.1:8099?jointoken=abc

        """

    /// The non-empty documents of `yaml` as trees.
    static func trees(_ yaml: String) throws -> [JSONValue] {
        try YAMLText.documents(yaml).compactMap { $0 }
    }

    static func render(
        _ config: String, classPatches: [ConfigPatch] = [], serverPatches: [ConfigPatch] = [], className: String? = "workers"
    ) throws(ConfigDataError) -> String {
        try ConfigDataRenderer.render(
            config: config, uuid: uuid, classPatches: classPatches, serverPatches: serverPatches,
            className: className, serverName: uuid)
    }

    /// The error `render` throws, or nil when it returned a body.
    static func failure(
        _ config: String, classPatches: [ConfigPatch] = [], serverPatches: [ConfigPatch] = [], className: String? = "workers"
    ) -> ConfigDataError? {
        do {
            _ = try render(config, classPatches: classPatches, serverPatches: serverPatches, className: className)
            return nil
        } catch {
            return error
        }
    }

    /// `tree` at a dotted path of object keys.
    static func value(_ tree: JSONValue?, _ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(tree) { node, key in node?[String(key)] }
    }
}
