import AnvilJSON

/// Sidero's node label: `metal.sidero.dev/uuid=<uuid>` in the kubelet's `--node-labels`, which is
/// how the MetalMachine controller finds the workload node to set its providerID.
enum TalosNodeLabel {
    static let key = "metal.sidero.dev/uuid"

    /// `document` with the label in `machine.kubelet.extraArgs["node-labels"]` when it is a Talos
    /// `v1alpha1` machine config; unchanged when it has no `version` (not a Talos config).
    /// Missing (or null) `machine`, `kubelet` and `extraArgs` are created. An existing label string
    /// keeps its labels, comma-joined; a stale `metal.sidero.dev/uuid=…` is replaced, since it would
    /// name another server; the exact label already present leaves the config unchanged.
    static func labelled(_ document: JSONValue, uuid: String) throws(ConfigDataError) -> JSONValue {
        guard case .object(var root) = document, let version = root["version"] else { return document }
        guard version == .string("v1alpha1") else { throw .unsupportedConfigVersion(version) }
        let label = "\(key)=\(uuid)"

        var machine = try mapping(root["machine"], field: "machine")
        var kubelet = try mapping(machine["kubelet"], field: "machine.kubelet")
        var extraArgs = try mapping(kubelet["extraArgs"], field: "machine.kubelet.extraArgs")
        extraArgs["node-labels"] = try adding(label, to: extraArgs["node-labels"])
        kubelet["extraArgs"] = .object(extraArgs)
        machine["kubelet"] = .object(kubelet)
        root["machine"] = .object(machine)
        return .object(root)
    }

    /// The node-labels value with `label`: a comma-separated string, or a list of strings
    /// (one `--node-labels` each) if the config already uses that form.
    private static func adding(_ label: String, to existing: JSONValue?) throws(ConfigDataError) -> JSONValue {
        let field = "machine.kubelet.extraArgs.node-labels"
        switch existing {
        case nil, .null?:
            return .string(label)
        case .string(let text)?:
            let labels = text.split(separator: ",").map(trimmed).filter { !$0.isEmpty }
            let updated = updating(labels, with: label)
            return .string(updated == labels ? text : updated.joined(separator: ","))
        case .array(let items)?:
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw .malformedTalosConfig(field: field, expected: "a string or a list of strings",
                                                found: "a list holding " + kind(item))
                }
                strings.append(text)
            }
            return .array(updating(strings, with: label).map(JSONValue.string))
        case let other?:
            throw .malformedTalosConfig(field: field, expected: "a string", found: kind(other))
        }
    }

    /// `labels` without stale uuid labels, with `label` appended unless already there (order kept).
    private static func updating(_ labels: [String], with label: String) -> [String] {
        let kept = labels.filter { !$0.hasPrefix(key + "=") || $0 == label }
        return kept.contains(label) ? kept : kept + [label]
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// A mapping field's members; `[:]` when absent or null, so the caller creates it.
    private static func mapping(_ value: JSONValue?, field: String) throws(ConfigDataError) -> [String: JSONValue] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?: return members
        case let other?: throw .malformedTalosConfig(field: field, expected: "a mapping", found: kind(other))
        }
    }

    /// The YAML name of a value's type, for messages.
    private static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}
