import AnvilConfigData
import AnvilJSON
import AnvilResources
import Testing

/// Patch order (ServerClass, then Server), the RFC 6902 operations, and the Talos node label.
@Suite struct ConfigDataRendererTests {
    typealias F = ConfigDataFixtures

    @Test func classThenServerPatchesServerWins() throws {
        let classPatches = [
            ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/nvme0n1"),
            ConfigPatch(op: .add, path: "/machine/network/hostname", value: "class-default"),
            ConfigPatch(op: .add, path: "/cluster/network/podSubnets/-", value: "10.245.0.0/16"),
            ConfigPatch(op: .remove, path: "/machine/features/stableHostname"),
            ConfigPatch(op: .add, path: "/machine/install/extraKernelArgs", value: ["console=ttyS1,115200n8"]),
        ]
        let serverPatches = [
            ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/sdb"),
            ConfigPatch(op: .replace, path: "/machine/network/hostname", value: "worker-7"),
            ConfigPatch(op: .add, path: "/machine/certSANs/-", value: "10.5.0.7"),
            ConfigPatch(op: .remove, path: "/debug"),
            ConfigPatch(op: .test, path: "/machine/type", value: "worker"),
            ConfigPatch(op: .copy, path: "/machine/install/extraKernelArgs/-", from: "/machine/install/extraKernelArgs/0"),
        ]
        let output = try F.render(F.talosWorker, classPatches: classPatches, serverPatches: serverPatches)

        var expected = try #require(F.trees(F.talosWorker).first)
        expected["debug"] = nil
        var machine = try #require(expected["machine"])
        machine["install"]?["disk"] = "/dev/sdb"
        machine["install"]?["extraKernelArgs"] = ["console=ttyS1,115200n8", "console=ttyS1,115200n8"]
        machine["network"]?["hostname"] = "worker-7"
        machine["certSANs"] = ["10.5.0.7"]
        machine["features"]?["stableHostname"] = nil
        machine["kubelet"]?["extraArgs"] = ["node-labels": .string(F.label)]
        expected["machine"] = machine
        expected["cluster"]?["network"]?["podSubnets"] = ["10.244.0.0/16", "10.245.0.0/16"]

        #expect(try F.trees(output) == [expected])
        #expect(output.hasSuffix("\n"))
    }

    @Test func nodeLabelIsAddedToAFreshKubelet() throws {
        let output = try F.render(F.talosWorker)
        let kubelet = F.value(try F.trees(output).first, "machine.kubelet")
        #expect(kubelet?["extraArgs"] == ["node-labels": .string(F.label)])
        #expect(kubelet?["image"] == "ghcr.io/siderolabs/kubelet:v1.30.1")
    }

    @Test func nodeLabelCreatesMissingMachineKubeletAndExtraArgs() throws {
        for config in ["version: v1alpha1\n", "version: v1alpha1\nmachine:\n", "version: v1alpha1\nmachine:\n  kubelet:\n",
                       "version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs: {}\n"] {
            let output = try F.render(config)
            #expect(try F.trees(output) == [["version": "v1alpha1",
                                             "machine": ["kubelet": ["extraArgs": ["node-labels": .string(F.label)]]]]],
                    "\(config)")
        }
    }

    @Test func nodeLabelIsAppendedToExistingLabels() throws {
        let serverPatches = [
            ConfigPatch(op: .add, path: "/machine/kubelet/extraArgs", value: ["node-labels": "rack=r12,zone=b", "rotate-server-certificates": "true"]),
        ]
        let output = try F.render(F.talosWorker, serverPatches: serverPatches)
        let extraArgs = F.value(try F.trees(output).first, "machine.kubelet.extraArgs")
        #expect(extraArgs == ["node-labels": .string("rack=r12,zone=b," + F.label), "rotate-server-certificates": "true"])
    }

    @Test func secondRenderDoesNotDuplicateTheLabel() throws {
        let once = try F.render(F.talosWorker, serverPatches: [
            ConfigPatch(op: .add, path: "/machine/kubelet/extraArgs", value: ["node-labels": "rack=r12"]),
        ])
        let twice = try F.render(once)
        #expect(twice == once)
        #expect(F.value(try F.trees(twice).first, "machine.kubelet.extraArgs.node-labels") == .string("rack=r12," + F.label))
    }

    @Test func staleUUIDLabelIsReplaced() throws {
        let config = "version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs:\n      node-labels: metal.sidero.dev/uuid=old, rack=r1\n"
        let output = try F.render(config)
        #expect(F.value(try F.trees(output).first, "machine.kubelet.extraArgs.node-labels") == .string("rack=r1," + F.label))
    }

    @Test func nodeLabelsAsAListGetOneMoreEntry() throws {
        let config = "version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs:\n      node-labels: [rack=r1]\n"
        let output = try F.render(config)
        #expect(F.value(try F.trees(output).first, "machine.kubelet.extraArgs.node-labels") == ["rack=r1", .string(F.label)])
    }

    @Test func renderedText() throws {
        let output = try F.render("version: v1alpha1\nmachine:\n  type: worker\n  # the disk\n  install: {disk: /dev/sda}\n")
        #expect(output == """
            machine:
              install:
                disk: /dev/sda
              kubelet:
                extraArgs:
                  node-labels: \(F.label)
              type: worker
            version: v1alpha1

            """)
    }

    @Test func jsonBootstrapDataIsAccepted() throws {
        let output = try F.render(#"{"version": "v1alpha1", "machine": {"type": "controlplane"}}"#,
                                  classPatches: [ConfigPatch(op: .replace, path: "/machine/type", value: "worker")])
        #expect(F.value(try F.trees(output).first, "machine.type") == "worker")
        #expect(F.value(try F.trees(output).first, "machine.kubelet.extraArgs.node-labels") == .string(F.label))
    }

    @Test func nonTalosYAMLIsPatchedWithoutALabel() throws {
        let config = "#cloud-config\nhostname: node\npackages:\n  - curl\n"
        let output = try F.render(config, classPatches: [ConfigPatch(op: .add, path: "/packages/-", value: "jq")],
                                  serverPatches: [ConfigPatch(op: .replace, path: "/hostname", value: "worker-7")])
        #expect(try F.trees(output) == [["hostname": "worker-7", "packages": ["curl", "jq"]]])
    }

    @Test func noPatchesAndNoClass() throws {
        let output = try F.render(F.talosWorker, className: nil)
        var expected = try #require(F.trees(F.talosWorker).first)
        expected["machine"]?["kubelet"]?["extraArgs"] = ["node-labels": .string(F.label)]
        #expect(try F.trees(output) == [expected])
    }
}
