import AnvilJSON
import AnvilJSONPatch
import AnvilResources
import Testing

/// Patches against machine configs written in YAML, the way operators write them.
@Suite struct JSONPatchYAMLTests {
    static let machineConfig = """
        # Worker machine config
        version: v1alpha1
        machine:
          type: worker
          network:
            hostname: node-1
            interfaces:
              - interface: eth0
                dhcp: true
                mtu: 1500
          kubelet:
            extraArgs:
              rotate-server-certificates: "true"
          features:
            rbac: true
        cluster:
          name: prod
          controlPlane:
            endpoint: https://10.0.0.1:6443
          apiServer:
            certSANs:
              - 10.0.0.1
              - api.prod.example
        """

    static func document(_ yaml: String) throws -> JSONValue {
        let documents = try YAMLText.documents(yaml)
        #expect(documents.count == 1)
        return try #require(documents.first ?? nil)
    }

    @Test func patchesMachineConfig() throws {
        let config = try Self.document(Self.machineConfig)
        let patch = try JSONPatch(json: [
            ["op": "add", "path": "/machine/install", "value": ["wipe": false]],
            ["op": "add", "path": "/machine/install/disk", "value": "/dev/nvme0n1"],
            ["op": "replace", "path": "/machine/network/interfaces/0/mtu", "value": 9000],
            ["op": "add", "path": "/cluster/apiServer/certSANs/-", "value": "10.0.0.2"],
            ["op": "remove", "path": "/machine/kubelet"],
            ["op": "move", "from": "/machine/features", "path": "/features"],
            ["op": "test", "path": "/machine/network/interfaces/0/dhcp", "value": true],
        ])
        let expected = try Self.document("""
            version: v1alpha1
            features:
              rbac: true
            machine:
              type: worker
              install:
                disk: /dev/nvme0n1
                wipe: false
              network:
                hostname: node-1
                interfaces:
                  - interface: eth0
                    dhcp: true
                    mtu: 9000
            cluster:
              name: prod
              controlPlane:
                endpoint: https://10.0.0.1:6443
              apiServer:
                certSANs: [10.0.0.1, api.prod.example, 10.0.0.2]
            """)
        let patched = try patch.apply(to: config)
        #expect(patched.isJSONEqual(to: expected), "got \(patched.jsonString())")
        #expect(patched == expected)

        // Rendered back to YAML, the result reads back as the same document.
        let rendered = YAMLText.document(patched)
        #expect(rendered.contains("disk: /dev/nvme0n1\n"))
        #expect(rendered.contains("mtu: 9000\n"))
        #expect(!rendered.contains("kubelet"))
        #expect(try Self.document(rendered) == patched)
    }

    @Test func patchWrittenInYAML() throws {
        let config = try Self.document(Self.machineConfig)
        let patch = try JSONPatch(json: Self.document("""
            - op: replace
              path: /machine/network/hostname
              value: node-7
            - op: add
              path: /machine/network/nameservers
              value: [1.1.1.1, 9.9.9.9]
            - op: copy
              from: /cluster/name
              path: /machine/network/interfaces/0/description
            - op: replace
              path: /cluster/controlPlane
              value: null
            """))
        let patched = try patch.apply(to: config)
        #expect(patched["machine"]?["network"]?["hostname"] == "node-7")
        #expect(patched["machine"]?["network"]?["nameservers"] == ["1.1.1.1", "9.9.9.9"])
        #expect(patched["machine"]?["network"]?["interfaces"]?.arrayValue?.first?["description"] == "prod")
        #expect(patched["cluster"]?["controlPlane"] == .null)
        #expect(YAMLText.document(patched).contains("controlPlane: null\n"))
    }

    @Test func missingParentFailsAndLeavesConfigAlone() throws {
        let config = try Self.document(Self.machineConfig)
        let original = config
        let patch = try JSONPatch(json: [
            ["op": "replace", "path": "/machine/type", "value": "controlplane"],
            ["op": "add", "path": "/machine/install/disk", "value": "/dev/sda"],
        ])
        #expect(throws: JSONPatchError.self) { _ = try patch.apply(to: config) }
        do {
            _ = try patch.apply(to: config)
        } catch {
            #expect(error.description == #"operation 1 (add /machine/install/disk): path not found: no member "install" in object at /machine"#)
        }
        #expect(config == original)
    }
}
