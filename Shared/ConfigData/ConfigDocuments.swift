import AnvilJSON
import AnvilJSONPatch
import AnvilResources

/// The bootstrap data as YAML documents, the empty ones dropped: what patches edit and what is
/// served. Never empty, and patches cannot remove a document, so ``first`` always exists.
struct ConfigDocuments {
    private(set) var documents: [JSONValue]

    init(yaml: String) throws(ConfigDataError) {
        let parsed: [JSONValue?]
        do {
            parsed = try YAMLText.documents(yaml)
        } catch {
            throw .notYAML(String(describing: error))
        }
        let documents = parsed.compactMap { $0 }
        guard !documents.isEmpty else {
            throw .notYAML("it holds no document (empty, or only comments and \"---\")")
        }
        self.documents = documents
    }

    /// The document patches edit by default and the node label goes into.
    var first: JSONValue {
        get { documents[0] }
        set { documents[0] = newValue }
    }

    /// Each document as block YAML, joined by `---` in the original order; ends with a newline.
    var yaml: String {
        let text = documents.map { YAMLText.document($0) }.joined(separator: "---\n")
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// Applies one `configPatches` list as one RFC 6902 patch: all of it or, on a failure, none.
    mutating func apply(_ patches: [ConfigPatch], from source: ConfigPatchSource) throws(ConfigDataError) {
        var edited = documents
        for (index, patch) in patches.enumerated() {
            do throws(JSONPatchError) {
                try ConfigPatchApplication.apply(patch, index: index, to: &edited)
            } catch {
                throw .patchFailed(source: source, error: error)
            }
        }
        documents = edited
    }
}
