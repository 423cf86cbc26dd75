import AnvilJSON
import Foundation
import Testing

@testable import AnvilResources

/// Hostile manifests are refused quickly with a message naming the limit; ordinary anchors and
/// aliases still work.
@Suite struct ManifestBoundsTests {
    /// The classic 9-level "billion laughs": 10^9 strings from under 1 KiB.
    static let lolBomb = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: bomb
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

    @Test func billionLaughsIsRefusedQuicklyNamingTheLimit() throws {
        let start = ContinuousClock.now
        var message = ""
        do {
            _ = try Manifest.parse(Self.lolBomb)
            Issue.record("the alias bomb was accepted")
        } catch {
            message = "\(error)"
        }
        let elapsed = ContinuousClock.now - start
        print("alias bomb refused in \(elapsed): \(message)")
        #expect(message == "document 1: aliases expand to more than 10000 nodes (the limit; an alias bomb?)")
        #expect(elapsed < .seconds(5))
    }

    @Test func aliasBombInAKeyIsRefusedBeforeComposing() throws {
        // Yams hashes mapping keys while composing; an aliased key would hash 10^9 nodes.
        let keyed = Self.lolBomb + "\nj: {*i: boom}\n"
        let start = ContinuousClock.now
        #expect(throws: ResourceError.unparsable(
            "line 14: alias *i is used as a mapping key; aliases may not be used in mapping keys")) {
            try Manifest.parse(keyed)
        }
        let complex = Self.lolBomb + "\n? [*i]\n: boom\n"
        #expect(throws: (any Error).self) { try Manifest.parse(complex) }
        print("alias-key bombs refused in \(ContinuousClock.now - start)")
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func deeplyNestedFlowCollectionsAreRefused() {
        let deep = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ResourceError.unparsable(
            "line 1: flow collections ([ or {) nested deeper than 100 levels (the limit)")) {
            try Manifest.parse(deep)
        }
        let fine = "a: " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(throws: Never.self) { try YAMLText.documents(fine) }
    }

    /// Block nesting needs indentation, so 3 MiB allows about 2 400 levels: no stack overflow.
    @Test func deepBlockNestingWithinTheSizeLimitDoesNotCrash() {
        var text = ""
        for level in 0..<2_400 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(text.utf8.count <= ManifestLimits.maximumBytes)
        let start = ContinuousClock.now
        let outcome = Result { try YAMLText.documents(text) }
        print("2 400-level block nesting: \(outcome.map { _ in "parsed" }) in \(ContinuousClock.now - start)")
        // libyaml stops at 1 000 levels with an error; either way the process is still here.
        if case .failure(let error) = outcome { #expect(error is ResourceError, "\(error)") }
    }

    @Test func oversizedManifestIsRefusedBeforeParsing() {
        let big = "# " + String(repeating: "x", count: ManifestLimits.maximumBytes) + "\n"
        #expect(throws: ResourceError.unparsable(
            "manifest is \(big.utf8.count) bytes; at most 3145728 bytes (3 MiB) are accepted")) {
            try Manifest.parse(big)
        }
        let json = "[" + String(repeating: " ", count: ManifestLimits.maximumBytes) + "]"
        #expect(throws: (any Error).self) { try Manifest.parse(json) }
    }

    @Test func ordinaryAnchorsAndAliasesStillWork() throws {
        let yaml = """
            apiVersion: metal.sidero.dev/v1alpha2
            kind: ServerClass
            metadata:
              name: workers
              labels: &labels
                rack: r1
                zone: z1
            spec:
              qualifiers:
                labelSelectors:
                  - *labels
                  - *labels
              configPatches: &patches
                - op: add
                  path: /machine/install/disk
                  value: &disk /dev/sda
                - op: replace
                  path: /machine/install/image
                  value: *disk
            ---
            apiVersion: metal.sidero.dev/v1alpha2
            kind: ServerClass
            metadata:
              name: "quoted-*star"
              annotations:
                note: "*not-an-alias: x"
            spec: {}
            """
        let resources = try Manifest.parse(yaml)
        #expect(resources.count == 2)
        let selectors = resources[0].spec?["qualifiers"]?["labelSelectors"]
        #expect(selectors == [["rack": "r1", "zone": "z1"], ["rack": "r1", "zone": "z1"]])
        #expect(resources[0].spec?["configPatches"]?.arrayValue?[1]["value"] == "/dev/sda")
        _ = try ResourceValidator.validate(resources[0])
    }
}
