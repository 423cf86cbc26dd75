import AnvilJSON

/// YAML text ↔ JSON trees for documents that are not resources (machine configs, patch bodies):
/// the same reader and writer the manifests use.
public enum YAMLText {
    /// One entry per document in the stream; `nil` for empty or comment-only documents.
    /// Throws ``ResourceError/unparsable(_:)`` naming the document and the position.
    public static func documents(_ text: String) throws -> [JSONValue?] {
        try YAMLReader.documents(text)
    }

    /// One document as block YAML (ends with a newline; keys sorted, envelope keys first).
    public static func document(_ value: JSONValue) -> String {
        YAMLWriter.document(value)
    }
}
