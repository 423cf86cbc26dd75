/// Why a resource was refused. Messages name the field, like `kubectl --validate=strict`.
public enum ResourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `field` is a dotted path such as `spec.configPatches[0].op`.
    case invalid(field: String, message: String)
    /// A kind Anvil does not serve (e.g. TalosControlPlane).
    case unknownKind(apiVersion: String, kind: String)
    /// Text that is not YAML/JSON at all.
    case unparsable(String)

    public var description: String {
        switch self {
        case .invalid(let field, let message):
            return field.isEmpty ? message : "\(field): \(message)"
        case .unknownKind(let apiVersion, let kind):
            return "no kind \"\(kind)\" is served by Anvil in version \"\(apiVersion)\""
        case .unparsable(let message):
            return message
        }
    }
}
