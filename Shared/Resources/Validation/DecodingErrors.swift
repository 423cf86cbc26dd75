/// Turns Codable's DecodingError into `ResourceError.invalid(field:message:)` with a dotted path
/// such as `spec.configPatches[0].op`.
extension ResourceError {
    public static func from(decodingError error: Error, prefix: String) -> ResourceError {
        if let error = error as? ResourceError { return error }
        guard let error = error as? DecodingError else {
            return .invalid(field: prefix, message: "\(error)")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .invalid(field: path(prefix, context.codingPath), message: "expected \(typeWord(type))")
        case .valueNotFound(let type, let context):
            return .invalid(field: path(prefix, context.codingPath), message: "expected \(typeWord(type)), got null")
        case .keyNotFound(let key, let context):
            return .invalid(field: path(prefix, context.codingPath + [key]), message: "required")
        case .dataCorrupted(let context):
            let text = context.debugDescription
            // Foundation's wording for 1.5 or 1e30 where an integer belongs.
            let isNumberRange = text.contains("representable") || text.contains("fit in")
            return .invalid(field: path(prefix, context.codingPath), message: isNumberRange ? "expected integer" : text)
        @unknown default:
            return .invalid(field: prefix, message: "\(error)")
        }
    }

    static func path(_ prefix: String, _ keys: [CodingKey]) -> String {
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

    private static func typeWord(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "boolean"
        case is String.Type: return "string"
        case is Int.Type, is Int64.Type, is UInt32.Type, is Int32.Type, is UInt64.Type: return "integer"
        case is Double.Type: return "number"
        default:
            return "\(type)".hasPrefix("Array") ? "list" : "mapping"
        }
    }
}
