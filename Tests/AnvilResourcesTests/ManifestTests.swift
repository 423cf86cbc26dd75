import AnvilJSON
import Testing

@testable import AnvilResources

@Suite struct ManifestTests {
    @Test func parseErrorsNameTheDocumentAndLine() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: [Secret\n"
        do {
            _ = try Manifest.parse(text)
            Issue.record("expected a parse error")
        } catch let ResourceError.unparsable(message) {
            #expect(message.hasPrefix("document 2: "))
            #expect(message.contains("8:") || message.contains("7:"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func envelopeErrorsNameTheDocument() {
        expectError("document 2: kind: required") {
            try Manifest.parse("apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n---\napiVersion: v1\nmetadata:\n  name: b\n")
        }
        expectError("document 1: metadata: required") {
            try Manifest.parse("apiVersion: v1\nkind: Secret\n")
        }
    }

    @Test func leadingSeparatorAndCommentOnlyDocumentsAreFine() throws {
        let text = "---\n# nothing\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n---\n---\n"
        #expect(try Manifest.parse(text).map(\.name) == ["a"])
        #expect(try Manifest.parse("# only comments\n").isEmpty)
        #expect(try Manifest.parse("").isEmpty)
    }

    @Test func kubernetesListsExpand() throws {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: Secret
                metadata:
                  name: a
              - apiVersion: metal.sidero.dev/v1alpha2
                kind: Environment
                metadata:
                  name: b
            """
        #expect(try Manifest.parse(yaml).map(\.name) == ["a", "b"])
        let json = #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}}]}"#
        #expect(try Manifest.parse(json).map(\.name) == ["c"])
        expectError("document 1: items[1]: kind: required") {
            try Manifest.parse(#"{"kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}},{"apiVersion":"v1","metadata":{"name":"d"}}]}"#)
        }
    }

    @Test func scalarsMapSensibly() throws {
        let yaml = """
            apiVersion: v1
            kind: Thing
            metadata:
              name: a
            spec:
              int: 42
              negative: -7
              hex: 0x1F
              float: 2.5
              yes: true
              no: False
              nothing: ~
              quotedNumber: "42"
              singleQuoted: '3.0'
              quotedBool: "true"
              timestamp: 2023-09-01T10:00:00Z
              on: on
              version: 1.0.0
              multi: |
                line one
                line two
              text: hello world
            """
        let spec = try #require(Manifest.parse(yaml).first?.spec)
        #expect(spec["int"] == .int(42))
        #expect(spec["negative"] == .int(-7))
        #expect(spec["hex"] == .int(31))
        #expect(spec["float"] == .double(2.5))
        #expect(spec["yes"] == .bool(true))
        #expect(spec["no"] == .bool(false))
        #expect(spec["nothing"] == .null)
        #expect(spec["quotedNumber"] == .string("42"))
        #expect(spec["singleQuoted"] == .string("3.0"))
        #expect(spec["quotedBool"] == .string("true"))
        #expect(spec["timestamp"] == .string("2023-09-01T10:00:00Z"))
        #expect(spec["on"] == .string("on"))
        #expect(spec["version"] == .string("1.0.0"))
        #expect(spec["text"] == .string("hello world"))
        #expect(spec["multi"] == .string("line one\nline two\n"))
    }

    @Test func yamlOutputKeepsEnvelopeOrderAndQuotesAmbiguousStrings() throws {
        let stored = try ResourceValidator.validate(Fixtures.resource("server-v1alpha2"))
        let text = Manifest.yaml(stored)
        let topKeys = text.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map {
            String($0.prefix { $0 != ":" })
        }
        #expect(topKeys == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(text.hasPrefix("apiVersion: metal.sidero.dev/v1alpha2\nkind: Server\nmetadata:\n  name: 00000000-0000-0000-0000-d05099d333e0\n"))
        #expect(text.contains("common-label: \"true\""))
        #expect(text.contains("power: \"off\""))
        #expect(text.contains("status: \"True\""))
        #expect(text.contains("lastTransitionTime: \"2023-09-01T10:00:00Z\""))
    }

    @Test func severalResourcesAreSeparated() throws {
        let resources = try Fixtures.resources("cluster")
        let text = Manifest.yaml(resources)
        #expect(text.components(separatedBy: "---\n").count == 3)
        #expect(try Manifest.parse(text) == resources)
    }

    @Test func jsonOutputParsesBack() throws {
        let resource = try Fixtures.resource("serverbinding")
        let compact = Manifest.json(resource, pretty: false)
        #expect(!compact.contains("\n"))
        #expect(Manifest.json(resource, pretty: true).contains("\n"))
        #expect(try Manifest.parse(compact) == [resource])
    }

    @Test func badJSONIsUnparsable() {
        do {
            _ = try Manifest.parse("{\"apiVersion\": ")
            Issue.record("expected a parse error")
        } catch let ResourceError.unparsable(message) {
            #expect(message.hasPrefix("document 1: "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
