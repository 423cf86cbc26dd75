import AnvilJSON
import AnvilResources
import Foundation

/// Inline BMC passwords on Servers (`spec.bmc.pass`, which Sidero allows, and Anvil's
/// `spec.redfish.pass`): the CLI never prints them nor copies them into the last-applied
/// annotation; only the Server itself holds the value bmcd needs.
enum InlinePasswords {
    static let mask = "********"
    /// Blocks of a Server's spec that may carry an inline `pass`.
    static let blocks = ["bmc", "redfish"]

    /// The inline password fields set in `resource`, as paths (`spec.bmc.pass`).
    static func present(in resource: Resource) -> [String] {
        guard resource.kind == "Server" else { return [] }
        return blocks.filter { isSet(resource.spec?[$0]?["pass"]) }.map { "spec.\($0).pass" }
    }

    /// `resource` with every inline password, including any in its last-applied annotation
    /// (written by an older anvil), replaced by ``mask``.
    static func masked(_ resource: Resource) -> Resource {
        guard resource.kind == "Server" else { return resource }
        var copy = resource
        if let spec = copy.spec { copy.spec = masked(spec: spec) }
        let key = ApplyMerge.lastAppliedAnnotation
        if let text = copy.metadata.annotations?[key], let applied = try? JSONValue(data: Data(text.utf8)),
           let spec = applied["spec"] {
            var maskedApplied = applied
            maskedApplied["spec"] = masked(spec: spec)
            copy.metadata.annotations?[key] = maskedApplied.jsonString()
        }
        return copy
    }

    /// A spec with `bmc.pass` and `redfish.pass` masked where set.
    static func masked(spec: JSONValue) -> JSONValue {
        var spec = spec
        for block in blocks where isSet(spec[block]?["pass"]) {
            spec[block]?["pass"] = .string(mask)
        }
        return spec
    }

    private static func isSet(_ value: JSONValue?) -> Bool {
        guard let value, value != .null else { return false }
        return value.stringValue.map { !$0.isEmpty } ?? true
    }
}
