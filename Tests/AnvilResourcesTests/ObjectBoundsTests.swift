import AnvilJSON
import Testing

@testable import AnvilResources

/// Kubernetes' metadata limits and non-negative inventory, each refusal naming field and limit.
@Suite struct ObjectBoundsTests {
    static func serverClass(name: String = "workers", labels: [String: String]? = nil, annotations: [String: String]? = nil) -> Resource {
        Resource(
            apiVersion: "metal.sidero.dev/v1alpha2", kind: "ServerClass",
            metadata: ObjectMeta(name: name, labels: labels, annotations: annotations), body: ["spec": [:]])
    }

    @Test func nameOver253CharactersIsRefused() {
        let name = String(repeating: "a", count: 254)
        expectError("metadata.name: is 254 characters long; at most 253 are accepted") {
            try ResourceValidator.validate(Self.serverClass(name: name))
        }
        #expect(throws: Never.self) { try ResourceValidator.validate(Self.serverClass(name: String(repeating: "a", count: 253))) }
    }

    @Test func labelValueOver63CharactersIsRefused() {
        let value = String(repeating: "v", count: 64)
        expectError("metadata.labels: value for key \"rack\" is 64 characters; at most 63 are accepted") {
            try ResourceValidator.validate(Self.serverClass(labels: ["rack": value]))
        }
        expectError(
            "metadata.labels: invalid value \"a b\" for key \"rack\": must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        ) {
            try ResourceValidator.validate(Self.serverClass(labels: ["rack": "a b"]))
        }
    }

    @Test func labelKeyPartsAreBounded() {
        let longName = String(repeating: "n", count: 64)
        expectError("metadata.labels: invalid key \"\(longName)…\": name part is 64 characters; at most 63 are accepted") {
            try ResourceValidator.validate(Self.serverClass(labels: [longName: "x"]))
        }
        let longPrefix = String(repeating: "p", count: 254)
        expectError("metadata.labels: invalid key \"\(longPrefix.prefix(80))…\": prefix is 254 characters; at most 253 are accepted") {
            try ResourceValidator.validate(Self.serverClass(labels: [longPrefix + "/name": "x"]))
        }
        #expect(throws: Never.self) {
            try ResourceValidator.validate(Self.serverClass(labels: ["example.com/" + String(repeating: "n", count: 63): "x"]))
        }
    }

    @Test func annotationsOver256KiBInTotalAreRefused() {
        let half = String(repeating: "a", count: 131_072)
        expectError("metadata.annotations: total size 262150 bytes (keys and values) is over the limit of 262144 bytes (256 KiB)") {
            try ResourceValidator.validate(Self.serverClass(annotations: ["one": half, "two": half]))
        }
        #expect(throws: Never.self) {
            try ResourceValidator.validate(Self.serverClass(annotations: ["one": String(repeating: "a", count: 262_141)]))
        }
    }

    @Test func negativeInventoryIsRefused() {
        let cases: [(String, String)] = [
            ("    compute:\n      processorCount: -1", "spec.hardware.compute.processorCount: -1 is negative; must be 0 or more"),
            ("    compute:\n      processors:\n        - coreCount: -8", "spec.hardware.compute.processors[0].coreCount: -8 is negative; must be 0 or more"),
            ("    memory:\n      modules:\n        - size: -16384", "spec.hardware.memory.modules[0].size: -16384 is negative; must be 0 or more"),
            ("    memory:\n      totalSize: -32 GB", "spec.hardware.memory.totalSize: \"-32 GB\" is negative; must be 0 or more"),
            ("    storage:\n      devices:\n        - size: -1", "spec.hardware.storage.devices[0].size: -1 is negative; must be 0 or more"),
            ("    network:\n      interfaces:\n        - mtu: -1500", "spec.hardware.network.interfaces[0].mtu: -1500 is negative; must be 0 or more"),
        ]
        for (hardware, message) in cases {
            expectError(message) { try validated(serverYAML(spec: "  hardware:\n" + hardware)) }
        }
        #expect(throws: Never.self) {
            try validated(serverYAML(spec: "  hardware:\n    compute:\n      processorCount: 0\n    storage:\n      devices:\n        - size: 0"))
        }
    }

    @Test func negativeClassQualifiersAreRefused() {
        let yaml = """
            apiVersion: metal.sidero.dev/v1alpha2
            kind: ServerClass
            metadata:
              name: workers
            spec:
              qualifiers:
                hardware:
                  - compute:
                      totalCoreCount: -4
            """
        expectError("spec.qualifiers.hardware[0].compute.totalCoreCount: -4 is negative; must be 0 or more") { try validated(yaml) }
    }
}
