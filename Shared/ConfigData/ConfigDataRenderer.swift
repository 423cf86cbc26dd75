import AnvilJSON
import AnvilResources

/// The body of `GET /configdata?uuid=` (Sidero metadata server, steps 7–8): the bootstrap data
/// with the ServerClass's `configPatches`, then the Server's (applied last, so the server wins),
/// then the `metal.sidero.dev/uuid` node label that lets the MetalMachine find its node.
/// Pure: the daemon looks up the inputs; any failure throws, so a partial config is never served.
public enum ConfigDataRenderer {
    /// - Parameters:
    ///   - config: the bootstrap Secret's `value`: YAML, possibly several `---` documents (JSON is YAML too).
    ///   - uuid: the server's UUID, the node label's value.
    ///   - className: the bound ServerClass, named in errors; `nil` when the binding has none.
    ///   - serverName: the Server, named in errors.
    /// - Returns: every non-empty document as block YAML, in the original order, joined by `---`.
    ///
    /// Patches edit the first non-empty document; a path (or `from`) written `/~doc/<n>/…` edits
    /// document `n` instead (see ``ConfigDocumentAddress``).
    public static func render(
        config: String, uuid: String, classPatches: [ConfigPatch], serverPatches: [ConfigPatch],
        className: String?, serverName: String
    ) throws(ConfigDataError) -> String {
        var documents = try ConfigDocuments(yaml: config)
        try documents.apply(classPatches, from: .serverClass(name: className))
        try documents.apply(serverPatches, from: .server(name: serverName))
        // After the patches, as Sidero does: a patch cannot remove or misspell the label.
        documents.first = try TalosNodeLabel.labelled(documents.first, uuid: uuid)
        return documents.yaml
    }
}
