import AnvilJSONPatch

/// Which document of a multi-document config a patch pointer addresses, and the pointer inside it.
///
/// A plain RFC 6901 pointer (`/machine/install/disk`) addresses the first non-empty document,
/// like Sidero. To reach another document, prefix the pointer with `/~doc/<n>`: `n` counts the
/// non-empty documents from 0 (the order they are served in), so `/~doc/1/spec/port` is
/// `/spec/port` in the second document and `/~doc/1` is that whole document. The prefix cannot
/// collide with a real path: `~d` is not a valid JSON Pointer escape (only `~0` and `~1` are).
struct ConfigDocumentAddress: Equatable {
    static let prefix = "/~doc"

    /// 0-based among the non-empty documents.
    let document: Int
    /// The RFC 6901 pointer inside that document, as written (still escaped).
    let pointer: String

    /// `member` ("path" or "from") is named in errors; `documentCount` bounds `n`.
    init(_ text: String, member: String, documentCount: Int) throws(JSONPatchError) {
        guard text.hasPrefix(Self.prefix) else {
            self.init(document: 0, pointer: text)
            return
        }
        let rest = text.dropFirst(Self.prefix.count)
        let number = rest.hasPrefix("/") ? rest.dropFirst().prefix { $0 != "/" } : ""
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }),
              number == "0" || !number.hasPrefix("0"), let document = Int(number)
        else {
            throw Self.failure(.invalidPointer(
                member: member,
                problem: "\"\(Self.prefix)\" must be followed by \"/<n>\", n a document number counted from 0 "
                    + "(e.g. \(Self.prefix)/1/spec)"))
        }
        guard document < documentCount else {
            let documents = documentCount == 1 ? "1 document" : "\(documentCount) documents"
            throw Self.failure(.notFound(
                member: member, problem: "the config has no document \(document) (it has \(documents), counted from 0)"))
        }
        self.init(document: document, pointer: String(rest.dropFirst(1 + number.count)))
    }

    private init(document: Int, pointer: String) {
        self.document = document
        self.pointer = pointer
    }

    // The operation heading is added by the caller, which knows the patch as written.
    private static func failure(_ reason: JSONPatchError.Reason) -> JSONPatchError {
        JSONPatchError(index: nil, op: nil, path: nil, from: nil, reason: reason)
    }
}
