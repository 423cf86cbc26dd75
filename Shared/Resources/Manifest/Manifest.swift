import AnvilJSON
import Foundation

/// Reading and writing manifests: YAML (several `---` documents) or JSON, including
/// Kubernetes `kind: List` documents. Parsing checks only the envelope; run each object
/// through `ResourceValidator` before storing it.
public enum Manifest {
    public static func parse(_ text: String) throws -> [Resource] {
        try ManifestLimits.checkSize(text)
        let documents = try looksLikeJSON(text) ? jsonDocuments(text) : YAMLReader.documents(text)
        var resources: [Resource] = []
        for (index, document) in documents.enumerated() {
            guard let document else { continue }
            resources += try envelopes(document, context: "document \(index + 1)")
        }
        return resources
    }

    public static func yaml(_ resource: Resource) -> String {
        YAMLWriter.document(resource.json)
    }

    public static func yaml(_ resources: [Resource]) -> String {
        resources.map(yaml).joined(separator: "---\n")
    }

    public static func json(_ resource: Resource, pretty: Bool) -> String {
        resource.json.jsonString(pretty: pretty)
    }

    /// A document is one object, a `kind: List` of objects, or (in JSON) an array of objects.
    private static func envelopes(_ document: JSONValue, context: String) throws -> [Resource] {
        if case .array(let items) = document {
            return try items.enumerated().flatMap { try envelopes($1, context: "\(context): [\($0)]") }
        }
        let hasItems = document["items"].map { _ in true } ?? false
        let hasMetadata = document["metadata"].map { _ in true } ?? false
        if document["kind"]?.stringValue == "List", hasItems || !hasMetadata {
            guard case .array(let items)? = document["items"] else {
                throw ResourceError.invalid(field: "\(context): items", message: "expected list")
            }
            return try items.enumerated().flatMap { try envelopes($1, context: "\(context): items[\($0)]") }
        }
        do {
            return [try Resource(json: document)]
        } catch ResourceError.invalid(let field, let message) {
            throw ResourceError.invalid(field: field.isEmpty ? context : "\(context): \(field)", message: message)
        }
    }

    private static func looksLikeJSON(_ text: String) -> Bool {
        guard let first = text.first(where: { !$0.isWhitespace }) else { return false }
        return first == "{" || first == "["
    }

    private static func jsonDocuments(_ text: String) throws -> [JSONValue?] {
        do {
            return [try JSONValue(data: Data(text.utf8))]
        } catch {
            // Flow-style YAML also starts with "{" or "["; let the YAML reader have a go.
            if let documents = try? YAMLReader.documents(text) { return documents }
            throw ResourceError.unparsable("document 1: not valid JSON: \(jsonErrorText(error))")
        }
    }

    private static func jsonErrorText(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
