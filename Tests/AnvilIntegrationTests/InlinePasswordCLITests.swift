import AnvilResources
import AnvilStore
import Foundation
import Testing

/// A Server's inline BMC password (`spec.bmc.pass`, which Sidero allows) never leaves the store
/// through the CLI, is not copied into the last-applied annotation, and `apply` warns once.
@Suite struct InlinePasswordCLITests {
    static let password = "inline-pw-7c3e91"

    static func manifest(name: String, pass: String?) -> String {
        """
        apiVersion: metal.sidero.dev/v1alpha2
        kind: Server
        metadata:
          name: \(name)
        spec:
          accepted: false
          bmc:
            endpoint: 127.0.0.1
            user: admin
        \(pass.map { "    pass: \($0)\n" } ?? "")
        """
    }

    @Test func inlinePasswordIsMaskedEverywhereAndWarnedOnce() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let two = Self.manifest(name: "4c4c4544-0000-4000-8000-00000000000a", pass: Self.password) + "---\n" + Self.manifest(name: "4c4c4544-0000-4000-8000-00000000000b", pass: Self.password)
        let applied = try await anvil.run(["apply", "-f", "-"], stdin: two)
        #expect(applied.status == 0, "\(applied.stderr)")
        let warnings = applied.stderr.split(separator: "\n").filter { $0.contains("warning: inline BMC password") }
        print("apply warning: \(warnings.first ?? "")")
        #expect(warnings.count == 1, "one warning line for the whole apply: \(applied.stderr)")
        #expect(applied.stderr.contains("passFrom"))
        #expect(applied.stderr.contains("server/4c4c4544-0000-4000-8000-00000000000a spec.bmc.pass"))
        #expect(!applied.stderr.contains(Self.password))

        // Every way of showing the object masks it.
        for arguments in [["get", "server"], ["get", "server", "-o", "wide"], ["get", "server", "4c4c4544-0000-4000-8000-00000000000a", "-o", "yaml"],
                          ["get", "server", "-o", "json"], ["get", "server", "4c4c4544-0000-4000-8000-00000000000a", "-o", "json"], ["describe", "server", "4c4c4544-0000-4000-8000-00000000000a"]] {
            let result = try await anvil.run(arguments)
            #expect(result.status == 0)
            #expect(!result.stdout.contains(Self.password), "anvil \(arguments.joined(separator: " ")) printed the password")
            if arguments.contains("yaml") || arguments.contains("json") || arguments.contains("describe") {
                #expect(result.stdout.contains("********"), "anvil \(arguments.joined(separator: " ")) shows the mask")
            }
        }

        // The Server keeps the password bmcd needs; its last-applied annotation does not.
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let stored = try Server(try await store.get(kind: "Server", name: "4c4c4544-0000-4000-8000-00000000000a"))
        #expect(stored.spec.bmc?.pass == Self.password)
        let annotation = try #require(stored.metadata.annotations?["anvil.sidero.dev/last-applied-configuration"])
        #expect(!annotation.contains(Self.password))
        #expect(annotation.contains("********"))

        // Three-way merge still works: the same manifest is unchanged, a new password replaces
        // the old, and dropping `pass` from the manifest removes it.
        let again = try await anvil.ok("apply", "-f", "-", stdin: Self.manifest(name: "4c4c4544-0000-4000-8000-00000000000a", pass: Self.password))
        #expect(again.contains("server/4c4c4544-0000-4000-8000-00000000000a unchanged"))
        _ = try await anvil.ok("apply", "-f", "-", stdin: Self.manifest(name: "4c4c4544-0000-4000-8000-00000000000a", pass: "rotated-pw-2"))
        #expect(try Server(try await store.get(kind: "Server", name: "4c4c4544-0000-4000-8000-00000000000a")).spec.bmc?.pass == "rotated-pw-2")
        let dropped = try await anvil.run(["apply", "-f", "-"], stdin: Self.manifest(name: "4c4c4544-0000-4000-8000-00000000000a", pass: nil))
        #expect(dropped.status == 0)
        #expect(!dropped.stderr.contains("warning"), "no inline password, no warning")
        #expect(try Server(try await store.get(kind: "Server", name: "4c4c4544-0000-4000-8000-00000000000a")).spec.bmc?.pass == nil)
    }
}
