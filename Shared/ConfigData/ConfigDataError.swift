import AnvilJSON
import AnvilJSONPatch

/// Why `/configdata` cannot be served. Sidero answers these with a 500; `description` is what
/// the operator reads in that body, so each names the input at fault and exactly what is wrong.
public enum ConfigDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bootstrap data does not parse as YAML, or holds no document; the parser's message.
    case notYAML(String)
    /// One patch list failed; `error` names the operation (0-based index, op, path) and the reason.
    case patchFailed(source: ConfigPatchSource, error: JSONPatchError)
    /// The first document has a `version` other than Talos' `v1alpha1` (Sidero refuses these too).
    case unsupportedConfigVersion(JSONValue)
    /// A field the node label goes into has the wrong type, e.g. `machine.kubelet` is a string.
    case malformedTalosConfig(field: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .notYAML(let message):
            return "the bootstrap data is not YAML: \(message)"
        case .patchFailed(let source, let error):
            return "failure applying the configPatches of \(source): \(error)"
        case .unsupportedConfigVersion(let version):
            return "unsupported machine config version \(version.jsonString()): only Talos \"v1alpha1\" configs can get "
                + "the \(TalosNodeLabel.key) node label"
        case .malformedTalosConfig(let field, let expected, let found):
            return "cannot add the \(TalosNodeLabel.key) node label: \(field) is \(found), expected \(expected)"
        }
    }
}
