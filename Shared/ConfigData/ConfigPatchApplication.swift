import AnvilJSON
import AnvilJSONPatch
import AnvilResources

/// Applies one `configPatches[]` entry to the documents it addresses (``ConfigDocumentAddress``).
enum ConfigPatchApplication {
    /// `index` is the entry's position in its list. Errors name the operation as the operator
    /// wrote it (path with any `/~doc/<n>` prefix), never the rewritten pointer.
    static func apply(_ patch: ConfigPatch, index: Int, to documents: inout [JSONValue]) throws(JSONPatchError) {
        // As JSONPatchOperation does: `from` means something (and is shown) only for move and copy.
        let usesFrom = patch.op == .move || patch.op == .copy
        do throws(JSONPatchError) {
            let target = try ConfigDocumentAddress(patch.path, member: "path", documentCount: documents.count)
            let source = try patch.from.flatMap { (from: String) throws(JSONPatchError) -> ConfigDocumentAddress? in
                usesFrom ? try ConfigDocumentAddress(from, member: "from", documentCount: documents.count) : nil
            }
            // Through the JSON form, so op, value and pointer syntax are checked as for any patch.
            var members: [String: JSONValue] = ["op": .string(patch.op.rawValue), "path": .string(target.pointer)]
            if let source { members["from"] = .string(source.pointer) }
            if let value = patch.value { members["value"] = value }
            let operation = try JSONPatchOperation(json: .object(members), index: index)

            if let source, source.document != target.document, let from = operation.from {
                // Across documents: read (a copy to the root returns the value), add, then remove for a move.
                let value = try JSONPatch([.copy(from: from, path: JSONPointer(tokens: []))]).apply(to: documents[source.document])
                documents[target.document] = try JSONPatch([.add(path: operation.path, value: value)]).apply(to: documents[target.document])
                if patch.op == .move {
                    documents[source.document] = try JSONPatch([.remove(path: from)]).apply(to: documents[source.document])
                }
            } else {
                documents[target.document] = try JSONPatch([operation]).apply(to: documents[target.document])
            }
        } catch {
            throw JSONPatchError(index: index, op: patch.op.rawValue, path: patch.path,
                                 from: usesFrom ? patch.from : nil, reason: error.reason)
        }
    }
}
