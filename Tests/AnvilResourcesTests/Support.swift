import AnvilJSON
import Foundation
import Testing

@testable import AnvilResources

/// Fixture files shipped with the test bundle.
enum Fixtures {
    static let names = [
        "server-v1alpha2", "server-v1alpha1", "serverclass-v1alpha2", "serverclass-v1alpha1",
        "environment-v1alpha2", "environment-v1alpha1", "cluster", "metalmachine", "serverbinding", "secret", "mixed",
    ]

    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func resources(_ name: String) throws -> [Resource] {
        try Manifest.parse(text(name))
    }

    static func resource(_ name: String) throws -> Resource {
        try #require(resources(name).first)
    }
}

/// Parses one YAML document and validates it.
func validated(_ yaml: String) throws -> Resource {
    try ResourceValidator.validate(#require(Manifest.parse(yaml).first))
}

/// Asserts that `body` throws an error whose description is exactly `expected`.
func expectError(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
    do {
        let value = try body()
        Issue.record("expected error \"\(expected)\", got \(value)", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)" == expected, sourceLocation: sourceLocation)
    }
}

/// A minimal valid Server manifest with `spec` lines appended (indented by the caller).
func serverYAML(name: String = "00000000-0000-0000-0000-000000000001", spec: String) -> String {
    """
    apiVersion: metal.sidero.dev/v1alpha2
    kind: Server
    metadata:
      name: \(name)
    spec:
    \(spec)
    """
}
