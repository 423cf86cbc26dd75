import AnvilJSON
import Yams

/// YAML text → JSON trees, one per document. Plain scalars are typed by the YAML 1.2 core
/// schema (so `on`/`yes` stay strings, timestamps stay strings); quoted scalars are always strings.
enum YAMLReader {
    /// One entry per document in the stream; `nil` for empty or comment-only documents.
    /// Refuses text over ``ManifestLimits/maximumBytes``, too deep flow nesting, aliases in keys, and documents
    /// whose aliases expand past ``ManifestLimits/maximumAliasExpandedNodes``.
    static func documents(_ text: String) throws -> [JSONValue?] {
        try ManifestLimits.checkSize(text)
        if let problem = YAMLTextScan.problem(in: text) { throw ResourceError.unparsable(problem) }
        var documents: [JSONValue?] = []
        do {
            var stream = try Yams.compose_all(yaml: text, Resolver.basic)
            while let node = stream.next() {
                var conversion = YAMLConversion(document: documents.count + 1)
                documents.append(try conversion.json(node))
            }
            if let error = stream.error { throw error }
        } catch let error as ResourceError {
            throw error
        } catch {
            throw ResourceError.unparsable("document \(documents.count + 1): \(CommonRules.firstLine(of: error))")
        }
        // Spelled out: JSONValue is ExpressibleByNilLiteral, so a bare `nil` here would mean `.null`.
        return documents.map { document -> JSONValue? in
            guard let document, !document.isNull else { return Optional<JSONValue>.none }
            return document
        }
    }

    static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        switch Tag.Name(rawValue: Node.scalar(scalar).tag.description) {
        case .null: return .null
        case .bool: return bool(text).map(JSONValue.bool) ?? .string(text)
        case .int: return int(text).map(JSONValue.int) ?? .string(text)
        case .float: return number(text) ?? .string(text)
        case .str where scalar.style == .plain || scalar.style == .any:
            return plain(text)
        default:
            return .string(text)
        }
    }

    /// YAML 1.2 core schema resolution of an untagged plain scalar.
    static func plain(_ text: String) -> JSONValue {
        if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
        if let value = bool(text) { return .bool(value) }
        if let value = int(text) { return .int(value) }
        if looksLikeFloat(text), let value = number(text) { return value }
        return .string(text)
    }

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    private static func int(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let magnitude: Int64?
        if body.hasPrefix("0x") {
            magnitude = Int64(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0o") {
            magnitude = Int64(body.dropFirst(2), radix: 8)
        } else if !body.isEmpty, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) {
            magnitude = Int64(body)
        } else {
            magnitude = nil
        }
        return magnitude.map { negative ? -$0 : $0 }
    }

    private static func looksLikeFloat(_ text: String) -> Bool {
        let allowed = Set("0123456789.eE+-")
        return text.contains(where: \.isNumber) && text.allSatisfy { allowed.contains($0) }
    }

    private static func number(_ text: String) -> JSONValue? {
        guard let value = Double(text), value.isFinite else { return nil }
        return .double(value)
    }
}
