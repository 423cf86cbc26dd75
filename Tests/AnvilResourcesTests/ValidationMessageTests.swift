import AnvilJSON
import Testing

@testable import AnvilResources

@Suite struct ValidationMessageTests {
    @Test func bootFromDiskMethodEnumeration() {
        expectError("spec.bootFromDiskMethod: \"explode\" is not one of ipxe-exit, http-404, ipxe-sanboot") {
            try validated(serverYAML(spec: "  bootFromDiskMethod: explode"))
        }
    }

    @Test func patchOperationEnumeration() {
        expectError("spec.configPatches[0].op: \"error\" is not one of add, remove, replace, move, copy, test") {
            try validated(serverYAML(spec: "  configPatches:\n    - op: error\n      path: /machine"))
        }
    }

    @Test func pxeModeEnumeration() {
        expectError("spec.pxeMode: \"x\" is not one of uefi, bios") {
            try validated(serverYAML(spec: "  pxeMode: x"))
        }
    }

    @Test func powerAndInterfaceEnumerations() {
        expectError("status.power: \"maybe\" is not one of on, off, unknown") {
            try validated(serverYAML(spec: "  accepted: true") + "\nstatus:\n  power: maybe")
        }
        expectError("spec.bmc.interface: \"serial\" is not one of lanplus, lan, redfish") {
            try validated(serverYAML(spec: "  bmc:\n    endpoint: 10.0.0.1\n    interface: serial"))
        }
    }

    @Test func typeErrorsNameTheField() {
        expectError("spec.accepted: expected boolean") {
            try validated(serverYAML(spec: "  accepted: \"yes\""))
        }
        expectError("spec.bmc.port: expected integer") {
            try validated(serverYAML(spec: "  bmc:\n    endpoint: 10.0.0.1\n    port: \"623\""))
        }
        expectError("spec.hardware.compute.processors[0].speed: expected integer") {
            try validated(serverYAML(spec: "  hardware:\n    compute:\n      processors:\n        - speed: 2.5"))
        }
        expectError("spec.configPatches: expected list") {
            try validated(serverYAML(spec: "  configPatches: {}"))
        }
        expectError("spec.bmc.endpoint: required") {
            try validated(serverYAML(spec: "  bmc:\n    user: admin"))
        }
    }

    @Test func unknownFieldsAtSeveralDepths() {
        expectError("spec.bmc.endpont: unknown field") {
            try validated(serverYAML(spec: "  bmc:\n    endpont: 10.0.0.1\n    endpoint: 10.0.0.1"))
        }
        expectError("spec.acepted: unknown field") {
            try validated(serverYAML(spec: "  acepted: true"))
        }
        expectError("specs: unknown field") {
            try validated(serverYAML(spec: "  accepted: true") + "\nspecs: {}")
        }
        expectError("spec.hardware.storage.devices[1].sizeBytes: unknown field") {
            try validated(serverYAML(spec: "  hardware:\n    storage:\n      devices:\n        - name: sda\n        - sizeBytes: 1"))
        }
        expectError("spec.selector.matchExpressions[0].value: unknown field") {
            try validated("""
                apiVersion: metal.sidero.dev/v1alpha2
                kind: ServerClass
                metadata:
                  name: c
                spec:
                  selector:
                    matchExpressions:
                      - key: zone
                        operator: In
                        value: east
                """)
        }
        expectError("document 1: metadata.lables: unknown field") {
            try validated(serverYAML(spec: "  accepted: true").replacingOccurrences(of: "metadata:", with: "metadata:\n  lables: {}"))
        }
    }

    @Test func v1alpha1UnknownFieldsUseV1alpha1Paths() {
        let server = """
            apiVersion: metal.sidero.dev/v1alpha1
            kind: Server
            metadata:
              name: 00000000-0000-0000-0000-000000000001
            spec:
            """
        expectError("spec.system.manufactuer: unknown field") {
            try validated(server + "\n  system:\n    manufactuer: Dell")
        }
        expectError("spec.hardware: unknown field") {
            try validated(server + "\n  hardware:\n    system:\n      manufacturer: Dell")
        }
        expectError("spec.qualifiers.hardware: unknown field") {
            try validated("""
                apiVersion: metal.sidero.dev/v1alpha1
                kind: ServerClass
                metadata:
                  name: c
                spec:
                  qualifiers:
                    hardware: []
                """)
        }
    }

    @Test func arbitraryJSONFieldsAreNotChecked() throws {
        let stored = try validated(
            serverYAML(spec: "  configPatches:\n    - op: add\n      path: /machine/anything\n      value: {deep: {whatever: [1, null]}}"))
        #expect(stored.spec?["configPatches"]?.arrayValue?.first?["value"] == ["deep": ["whatever": [1, .null]]])
    }

    @Test func configPatchRules() {
        expectError("spec.configPatches[0].path: \"machine/install\" is not a JSON Pointer (must start with \"/\")") {
            try validated(serverYAML(spec: "  configPatches:\n    - op: remove\n      path: machine/install"))
        }
        expectError("spec.configPatches[0].value: required for op \"add\"") {
            try validated(serverYAML(spec: "  configPatches:\n    - op: add\n      path: /machine"))
        }
        expectError("spec.configPatches[1].from: required for op \"move\"") {
            try validated(serverYAML(spec: "  configPatches:\n    - op: remove\n      path: /a\n    - op: move\n      path: /b"))
        }
        expectError("spec.configPatches[0].path: \"/a~2\" is not a JSON Pointer (\"~\" must be followed by 0 or 1)") {
            try validated(serverYAML(spec: "  configPatches:\n    - op: remove\n      path: /a~2"))
        }
    }

    @Test func explicitNullPatchValueIsAValue() throws {
        let stored = try validated(serverYAML(spec: "  configPatches:\n    - op: replace\n      path: /a\n      value: null"))
        #expect(try Server(stored).spec.configPatches?.first?.value == .null)
    }

    @Test func serverNamesMustBeUUIDs() throws {
        expectError("metadata.name: \"dummyserver-0\" must be a UUID (8-4-4-4-12 hexadecimal digits)") {
            try validated(serverYAML(name: "dummyserver-0", spec: "  accepted: true"))
        }
        _ = try validated(serverYAML(name: "4C4C4544-0039-3010-8048-B7C04F4D3732", spec: "  accepted: true"))
        expectError("metadata.name: \"binding\" must be a UUID (8-4-4-4-12 hexadecimal digits)") {
            try validated("""
                apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
                kind: ServerBinding
                metadata:
                  name: binding
                spec:
                  metalMachineRef:
                    name: m
                """)
        }
    }

    @Test func otherNamesMustBeDNSSubdomains() {
        let message = "metadata.name: \"Bad_Name\" must be a lowercase DNS-1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit"
        expectError(message) {
            try validated("apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: Bad_Name")
        }
        expectError(message) {
            try validated("apiVersion: v1\nkind: Secret\nmetadata:\n  name: Bad_Name")
        }
    }

    @Test func namespaceScope() throws {
        expectError("metadata.namespace: must not be set: Server is cluster-scoped") {
            try validated(serverYAML(spec: "  accepted: true").replacingOccurrences(of: "metadata:", with: "metadata:\n  namespace: default"))
        }
        let secret = try validated("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: sidero-system")
        #expect(secret.metadata.namespace == "sidero-system")
    }

    @Test func labelsAreValidatedLikeKubernetes() {
        expectError("metadata.labels: invalid key \"bad key\": a key is an optional DNS subdomain prefix and '/', then a name that must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit") {
            try validated("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    bad key: x")
        }
        expectError("metadata.labels: invalid value \"a b\" for key \"zone\": must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit") {
            try validated("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    zone: a b")
        }
    }

    @Test func selectorOperatorsAndValues() {
        let head = "apiVersion: metal.sidero.dev/v1alpha2\nkind: ServerClass\nmetadata:\n  name: c\nspec:\n  selector:\n    matchExpressions:\n"
        expectError("spec.selector.matchExpressions[0].values: required for operator In") {
            try validated(head + "      - key: zone\n        operator: In")
        }
        expectError("spec.selector.matchExpressions[0].values: must be empty for operator Exists") {
            try validated(head + "      - key: zone\n        operator: Exists\n        values: [a]")
        }
        expectError("spec.selector.matchExpressions[0].operator: \"Has\" is not one of In, NotIn, Exists, DoesNotExist") {
            try validated(head + "      - key: zone\n        operator: Has")
        }
    }

    @Test func environmentAssets() {
        let head = "apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: e\nspec:\n"
        expectError("spec.kernel.url: \"ftp://example.com/vmlinuz\" is not an http://, https:// or file:/// URL") {
            try validated(head + "  kernel:\n    url: ftp://example.com/vmlinuz")
        }
        expectError("spec.initrd.sha512: must be 128 hexadecimal digits") {
            try validated(head + "  initrd:\n    url: https://example.com/initrd\n    sha512: abc")
        }
    }

    @Test func bmcPortRange() {
        expectError("spec.bmc.port: 70000 is not between 0 and 65535") {
            try validated(serverYAML(spec: "  bmc:\n    endpoint: 10.0.0.1\n    port: 70000"))
        }
    }

    @Test func metalMachineReferences() throws {
        let head = "apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3\nkind: MetalMachine\nmetadata:\n  name: m\nspec:\n"
        _ = try validated(head + "  providerID: sidero://x")
        expectError("spec.serverClassRef.name: required") {
            try validated(head + "  serverClassRef:\n    kind: ServerClass")
        }
        expectError("spec.serverRef.name: \"srv\" must be a UUID (8-4-4-4-12 hexadecimal digits)") {
            try validated(head + "  serverRef:\n    name: srv")
        }
    }

    @Test func secretData() {
        expectError("data.value: invalid base64") {
            try validated("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  value: not base64!")
        }
    }

    @Test func storeManagedMetadataPassesThrough() throws {
        let text = serverYAML(spec: "  accepted: true").replacingOccurrences(
            of: "metadata:",
            with: "metadata:\n  uid: abc\n  resourceVersion: \"42\"\n  generation: 3\n  creationTimestamp: 2024-01-01T00:00:00Z\n  deletionTimestamp: 2024-01-02T00:00:00Z\n  finalizers: [storage.finalizers.server.k8s.io]")
        let stored = try validated(text)
        #expect(stored.metadata.uid == "abc")
        #expect(stored.metadata.resourceVersion == "42")
        #expect(stored.metadata.generation == 3)
        #expect(stored.metadata.creationTimestamp == "2024-01-01T00:00:00Z")
        #expect(stored.metadata.deletionTimestamp == "2024-01-02T00:00:00Z")
    }
}
