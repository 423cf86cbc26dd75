import Foundation
import Testing

/// `anvil apply` against hostile or over-limit manifests: a prompt one-line error naming the
/// limit and nothing written; a status section is ignored as Kubernetes ignores it.
@Suite struct CLIBoundsTests {
    static let lolBomb = """
        apiVersion: metal.sidero.dev/v1alpha2
        kind: ServerClass
        metadata:
          name: bomb
        spec:
          configPatches:
            - op: add
              path: /x
              value:
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test func applyRefusesTheAliasBombPromptly() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let start = ContinuousClock.now
        let result = try await anvil.run("apply", "-f", try state.file("bomb.yaml", contents: Self.lolBomb))
        let elapsed = ContinuousClock.now - start
        print("anvil apply of the alias bomb: exit \(result.status) after \(elapsed): \(result.stderr)")
        #expect(result.status == 1)
        #expect(result.stderr.contains("aliases expand to more than 10000 nodes (the limit"), "\(result.stderr)")
        // Parsing is refused in milliseconds (ManifestBoundsTests); this bound covers starting the
        // CLI on a loaded CI machine, and still tells "refused" from "ran away" (over a minute before).
        #expect(elapsed < .seconds(45))
        #expect(try await anvil.ok("get", "serverclasses", "-o", "name").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func applyIgnoresAStatusSection() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let manifest = """
            apiVersion: metal.sidero.dev/v1alpha2
            kind: Server
            metadata:
              name: 4c4c4544-0000-1000-8000-0000000000e1
            spec:
              accepted: false
            status:
              ready: true
              inUse: true
              power: "on"
            """
        _ = try await anvil.ok("apply", "-f", try state.file("s.yaml", contents: manifest))
        let json = try await anvil.ok("get", "server", "4c4c4544-0000-1000-8000-0000000000e1", "-o", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["status"] == nil, "\(json)")
        // Applying again (an update) ignores it too.
        _ = try await anvil.ok("apply", "-f", try state.file("s.yaml", contents: manifest))
        let again = try await anvil.ok("get", "server", "4c4c4544-0000-1000-8000-0000000000e1", "-o", "json")
        #expect(!again.contains("inUse"), "\(again)")
    }

    @Test func applyRefusesOverLimitMetadataNamingTheLimit() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let manifest = """
            apiVersion: metal.sidero.dev/v1alpha2
            kind: ServerClass
            metadata:
              name: workers
              annotations:
                note: \(String(repeating: "n", count: 300_000))
            spec: {}
            """
        let result = try await anvil.run("apply", "-f", try state.file("a.yaml", contents: manifest))
        #expect(result.status == 1)
        #expect(result.stderr.contains("metadata.annotations: total size 300004 bytes (keys and values) is over the limit of 262144 bytes (256 KiB)"), "\(result.stderr)")
        let big = try await anvil.run("apply", "-f", try state.file("b.yaml", contents: "# " + String(repeating: "x", count: 3 << 20)))
        #expect(big.status == 1)
        #expect(big.stderr.contains("at most 3145728 bytes (3 MiB) are accepted"), "\(big.stderr)")
        #expect(try await anvil.ok("get", "serverclasses", "-o", "name").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
