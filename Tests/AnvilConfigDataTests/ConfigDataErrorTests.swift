import AnvilConfigData
import AnvilJSON
import AnvilJSONPatch
import AnvilResources
import Testing

/// The 500 bodies: which input is at fault and exactly why. Every failure throws, so a partially
/// patched config is never returned.
@Suite struct ConfigDataErrorTests {
    typealias F = ConfigDataFixtures

    @Test func failingClassPatchNamesTheServerClassAndTheOperation() throws {
        let error = try #require(F.failure(F.talosWorker, classPatches: [
            ConfigPatch(op: .add, path: "/machine/network/hostname", value: "a"),
            ConfigPatch(op: .replace, path: "/machine/disks/0/device", value: "/dev/sdb"),
        ], serverPatches: [ConfigPatch(op: .remove, path: "/debug")]))
        #expect(error.description == #"failure applying the configPatches of ServerClass "workers": operation 1 (replace /machine/disks/0/device): path not found: no member "disks" in object at /machine"#)
        guard case .patchFailed(.serverClass(name: "workers"), let patchError) = error else {
            Issue.record("wrong case: \(error)")
            return
        }
        #expect(patchError.index == 1)
        #expect(patchError.path == "/machine/disks/0/device")
    }

    @Test func failingServerPatchNamesTheServer() throws {
        let error = try #require(F.failure(F.talosWorker,
                                           classPatches: [ConfigPatch(op: .replace, path: "/machine/type", value: "controlplane")],
                                           serverPatches: [ConfigPatch(op: .test, path: "/machine/type", value: "worker")]))
        #expect(error.description == #"failure applying the configPatches of Server "\#(F.uuid)": operation 0 (test /machine/type): test failed: found "controlplane", expected "worker""#)
        guard case .patchFailed(.server(name: F.uuid), _) = error else {
            Issue.record("wrong case: \(error)")
            return
        }
    }

    @Test func malformedOperations() {
        let cases: [(ConfigPatch, String)] = [
            (ConfigPatch(op: .add, path: "/machine/x"), #"operation 0 (add /machine/x): missing member "value""#),
            (ConfigPatch(op: .copy, path: "/machine/x"), #"operation 0 (copy /machine/x): missing member "from""#),
            (ConfigPatch(op: .remove, path: "machine"), #"operation 0 (remove machine): path is not a JSON pointer: must be empty or start with "/""#),
            (ConfigPatch(op: .remove, path: "/machine/~2"), #"operation 0 (remove /machine/~2): path is not a JSON pointer: "~2" is not an escape (only ~0 and ~1 are)"#),
            (ConfigPatch(op: .move, path: "/machine/install/x", from: "/machine"),
             "operation 0 (move /machine/install/x from /machine): cannot move a value into itself: from is a prefix of path"),
        ]
        for (patch, expected) in cases {
            #expect(F.failure(F.talosWorker, classPatches: [patch])?.description
                    == #"failure applying the configPatches of ServerClass "workers": "# + expected)
        }
    }

    @Test func unnamedServerClass() {
        let error = F.failure(F.talosWorker, classPatches: [ConfigPatch(op: .remove, path: "/nothing")], className: nil)
        #expect(error?.description == #"failure applying the configPatches of the bound ServerClass: operation 0 (remove /nothing): path not found: no member "nothing" in object at the document root"#)
    }

    @Test func unparsableYAML() throws {
        let error = try #require(F.failure("machine:\n  type: [worker\n"))
        guard case .notYAML = error else {
            Issue.record("wrong case: \(error)")
            return
        }
        #expect(error.description.hasPrefix("the bootstrap data is not YAML: document 1: "), "\(error)")
    }

    @Test func emptyBootstrapData() {
        for config in ["", "\n", "# nothing here\n", "---\n---\n"] {
            #expect(F.failure(config)?.description
                    == #"the bootstrap data is not YAML: it holds no document (empty, or only comments and "---")"#, "\(config)")
        }
    }

    @Test func unsupportedTalosVersionIsRefused() {
        #expect(F.failure("version: v2\nmachine:\n  type: worker\n") == .unsupportedConfigVersion("v2"))
        #expect(F.failure("version: v2\n")?.description
                == #"unsupported machine config version "v2": only Talos "v1alpha1" configs can get the metal.sidero.dev/uuid node label"#)
        #expect(F.failure("version: 1\n")?.description
                == #"unsupported machine config version 1: only Talos "v1alpha1" configs can get the metal.sidero.dev/uuid node label"#)
    }

    @Test func patchesCanMakeTheVersionUnsupported() {
        let error = F.failure(F.talosWorker, serverPatches: [ConfigPatch(op: .replace, path: "/version", value: "v1alpha2")])
        #expect(error == .unsupportedConfigVersion("v1alpha2"))
    }

    @Test func labelTargetsOfTheWrongType() {
        let cases: [(String, String)] = [
            ("version: v1alpha1\nmachine: worker\n",
             "cannot add the metal.sidero.dev/uuid node label: machine is a string, expected a mapping"),
            ("version: v1alpha1\nmachine:\n  kubelet: [a]\n",
             "cannot add the metal.sidero.dev/uuid node label: machine.kubelet is a list, expected a mapping"),
            ("version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs: true\n",
             "cannot add the metal.sidero.dev/uuid node label: machine.kubelet.extraArgs is a boolean, expected a mapping"),
            ("version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs:\n      node-labels: 3\n",
             "cannot add the metal.sidero.dev/uuid node label: machine.kubelet.extraArgs.node-labels is a number, expected a string"),
            ("version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs:\n      node-labels: [a=b, {c: d}]\n",
             "cannot add the metal.sidero.dev/uuid node label: machine.kubelet.extraArgs.node-labels is a list holding a mapping, expected a string or a list of strings"),
        ]
        for (config, expected) in cases {
            #expect(F.failure(config)?.description == expected)
        }
    }
}
