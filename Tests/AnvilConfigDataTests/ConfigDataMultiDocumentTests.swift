import AnvilConfigData
import AnvilJSON
import AnvilResources
import Testing

/// Multi-document configs: the first document is patched and labelled, the rest kept in order;
/// `/~doc/<n>` reaches the others.
@Suite struct ConfigDataMultiDocumentTests {
    typealias F = ConfigDataFixtures

    @Test func firstDocumentPatchedOthersKeptInOrder() throws {
        let config = F.talosWorker + "---\n" + F.sideroLink
        let output = try F.render(config, serverPatches: [ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/sdb")])

        let trees = try F.trees(output)
        let link = try #require(F.trees(F.sideroLink).first)
        #expect(trees.count == 2)
        #expect(F.value(trees.first, "machine.install.disk") == "/dev/sdb")
        #expect(F.value(trees.first, "machine.kubelet.extraArgs.node-labels") == .string(F.label))
        #expect(trees.last == link)
        // The second document is served as written (re-rendered), after one separator.
        #expect(output.hasSuffix("\n---\n" + YAMLText.document(link)))
        #expect(output.components(separatedBy: "---\n").count == 2)
    }

    @Test func emptyDocumentsAreDroppedAndDoNotCount() throws {
        let config = "---\n# leading comment\n---\n" + F.talosWorker + "---\n---\n" + F.sideroLink + "---\n"
        let output = try F.render(config, classPatches: [ConfigPatch(op: .replace, path: "/~doc/1/kind", value: "Renamed")])
        let trees = try F.trees(output)
        #expect(trees.count == 2)
        #expect(trees.first?["version"] == "v1alpha1")
        #expect(trees.last?["kind"] == "Renamed")
        #expect(!output.hasPrefix("---"))
    }

    @Test func docPrefixTargetsAnotherDocument() throws {
        let config = F.talosWorker + "---\n" + F.sideroLink
        let output = try F.render(
            config,
            classPatches: [
                ConfigPatch(op: .replace, path: "/~doc/1/apiUrl", value: "grpc://10.5.0.9:8099"),
                ConfigPatch(op: .add, path: "/~doc/0/machine/network/hostname", value: "worker-7"),
            ],
            serverPatches: [
                // Across documents: copy and move read `from` in one document and write `path` in another.
                ConfigPatch(op: .copy, path: "/~doc/1/disk", from: "/machine/install/disk"),
                ConfigPatch(op: .move, path: "/machine/install/sideroLinkUrl", from: "/~doc/1/apiUrl"),
                ConfigPatch(op: .add, path: "/~doc/1/kind", value: "SideroLinkConfig"),
            ])
        let trees = try F.trees(output)
        #expect(trees.count == 2)
        #expect(F.value(trees.first, "machine.network.hostname") == "worker-7")
        #expect(F.value(trees.first, "machine.install.sideroLinkUrl") == "grpc://10.5.0.9:8099")
        #expect(trees.last == ["apiVersion": "v1alpha1", "kind": "SideroLinkConfig", "disk": "/dev/sda"])
    }

    @Test func wholeDocumentCanBeReplaced() throws {
        let config = F.talosWorker + "---\n" + F.sideroLink
        let output = try F.render(config, serverPatches: [ConfigPatch(op: .replace, path: "/~doc/1", value: ["kind": "Other"])])
        #expect(try F.trees(output).last == ["kind": "Other"])
    }

    @Test func docPrefixErrorsNameThePatchAsWritten() {
        let config = F.talosWorker + "---\n" + F.sideroLink
        let cases: [(ConfigPatch, String)] = [
            (ConfigPatch(op: .replace, path: "/~doc/2/kind", value: "X"),
             "operation 0 (replace /~doc/2/kind): path not found: the config has no document 2 (it has 2 documents, counted from 0)"),
            (ConfigPatch(op: .replace, path: "/~doc/one/kind", value: "X"),
             #"operation 0 (replace /~doc/one/kind): path is not a JSON pointer: "/~doc" must be followed by "/<n>", n a document number counted from 0 (e.g. /~doc/1/spec)"#),
            (ConfigPatch(op: .replace, path: "/~doc/01/kind", value: "X"),
             #"operation 0 (replace /~doc/01/kind): path is not a JSON pointer: "/~doc" must be followed by "/<n>", n a document number counted from 0 (e.g. /~doc/1/spec)"#),
            (ConfigPatch(op: .remove, path: "/~doc/1/missing"),
             #"operation 0 (remove /~doc/1/missing): path not found: no member "missing" in object at the document root"#),
            (ConfigPatch(op: .move, path: "/machine/x", from: "/~doc/1/missing"),
             #"operation 0 (move /machine/x from /~doc/1/missing): from not found: no member "missing" in object at the document root"#),
            (ConfigPatch(op: .move, path: "/machine/link", from: "/~doc/1"),
             "operation 0 (move /machine/link from /~doc/1): cannot remove the whole document (replace it instead)"),
            (ConfigPatch(op: .remove, path: "/~doc/1"),
             "operation 0 (remove /~doc/1): cannot remove the whole document (replace it instead)"),
        ]
        for (patch, expected) in cases {
            let error = F.failure(config, serverPatches: [patch])
            #expect(error?.description == #"failure applying the configPatches of Server "\#(F.uuid)": "# + expected)
        }
    }
}
