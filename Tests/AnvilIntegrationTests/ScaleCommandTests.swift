import Foundation
import Testing

/// `anvil scale metalmachinetemplate`: MetalMachines made from a template and owned by it
/// (README "reconciler: the server lifecycle"), run as the real binary.
@Suite struct ScaleCommandTests {
    static let template = """
        apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
        kind: MetalMachineTemplate
        metadata:
          name: workers
          namespace: prod
        spec:
          template:
            spec:
              serverClassRef:
                apiVersion: metal.sidero.dev/v1alpha2
                kind: ServerClass
                name: any
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func scaleUpAndDown() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        _ = try await anvil.ok("apply", "-f", try state.file("t.yaml", contents: Self.template))
        let template = try Self.json(try await anvil.ok("get", "mmt", "workers", "-n", "prod", "-o", "json"))
        let templateUID = try #require((template["metadata"] as? [String: Any])?["uid"] as? String)

        let up = try await anvil.ok(
            "scale", "metalmachinetemplate", "workers", "--replicas", "3", "--namespace", "prod", "--cluster", "c1",
            "--bootstrap-secret", "workers-config")
        #expect(up == """
            metalmachine/workers-0 created
            metalmachine/workers-1 created
            metalmachine/workers-2 created

            """)
        let machine = try Self.json(try await anvil.ok("get", "mm", "workers-1", "-n", "prod", "-o", "json"))
        let metadata = try #require(machine["metadata"] as? [String: Any])
        #expect((metadata["labels"] as? [String: String]) == ["cluster.x-k8s.io/cluster-name": "c1"])
        let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
        #expect(owner["apiVersion"] as? String == "infrastructure.cluster.x-k8s.io/v1alpha3")
        #expect(owner["kind"] as? String == "MetalMachineTemplate")
        #expect(owner["name"] as? String == "workers")
        #expect(owner["uid"] as? String == templateUID)
        #expect(owner["controller"] as? Bool == true)
        let spec = try #require(machine["spec"] as? [String: Any])
        #expect((spec["serverClassRef"] as? [String: Any])?["name"] as? String == "any")
        #expect((spec["bootstrap"] as? [String: Any])?["dataSecretName"] as? String == "workers-config")

        // Same count: nothing to do. The short kind works too.
        #expect(try await anvil.ok("scale", "mmt", "workers", "--replicas", "3", "-n", "prod") == "metalmachinetemplate/workers already has 3 machines\n")

        // Down: the highest numbers go first.
        let down = try await anvil.ok("scale", "mmt", "workers", "--replicas", "1", "-n", "prod")
        #expect(down == "metalmachine/workers-2 deleted\nmetalmachine/workers-1 deleted\n")
        let names = try await anvil.ok("get", "mm", "-n", "prod", "-o", "name")
        #expect(names.trimmingCharacters(in: .whitespacesAndNewlines) == "metalmachine/workers-0")

        // Back up: the gap is filled from 1.
        #expect(try await anvil.ok("scale", "mmt", "workers", "--replicas", "2", "-n", "prod") == "metalmachine/workers-1 created\n")
        #expect(try await anvil.ok("scale", "mmt", "workers", "--replicas", "0", "-n", "prod") == "metalmachine/workers-1 deleted\nmetalmachine/workers-0 deleted\n")
    }

    @Test func clearErrors() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let missing = try await anvil.run("scale", "mmt", "nope", "--replicas", "1")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: metalmachinetemplates \"default/nope\" not found\n")

        _ = try await anvil.ok("apply", "-f", try state.file("t.yaml", contents: Self.template))
        let negative = try await anvil.run("scale", "mmt", "workers", "-n", "prod", "--replicas", "-1")
        #expect(negative.status == 1)
        #expect(negative.stderr == "error: --replicas must be 0 or more, got -1\n")

        let wrongKind = try await anvil.run("scale", "server", "x", "--replicas", "1")
        #expect(wrongKind.status == 1)
        #expect(wrongKind.stderr == "error: scale works on metalmachinetemplate (mmt), not server\n")

        // A machine of a template's name it does not own is not taken over.
        _ = try await anvil.ok("apply", "-f", "-", stdin: """
            apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
            kind: MetalMachine
            metadata:
              name: workers-0
              namespace: prod
            spec: {}
            """)
        let clash = try await anvil.run("scale", "mmt", "workers", "-n", "prod", "--replicas", "1")
        #expect(clash.status == 1)
        #expect(clash.stderr == "error: metalmachine/workers-0 exists and is not owned by metalmachinetemplate/workers\n")
    }
}
