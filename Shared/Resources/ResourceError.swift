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

    /// Turns a Codable DecodingError into "path: problem".
    public static func describe(decodingError error: Error, prefix: String) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            var text = prefix
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeWord(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeWord(type)), got null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeWord(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "boolean"
        case is String.Type: return "string"
        case is Int.Type, is Int64.Type, is UInt32.Type, is Int32.Type, is UInt64.Type: return "integer"
        case is Double.Type: return "number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "list" }
            if name.hasPrefix("Dictionary") { return "mapping" }
            return "mapping"
        }
    }
}
