import AnvilJSON

/// RFC 6902 operation names.
public enum PatchOperation: String, StringEnumeration {
    case add, remove, replace, move, copy, test
}

/// One RFC 6902 JSON Patch operation applied to the machine config (Sidero `configPatches[]`).
/// `from` is Anvil's addition so move/copy can be expressed.
public struct ConfigPatch: Codable, Sendable, Hashable {
    public var op: PatchOperation
    public var path: String
    public var from: String?
    /// Any JSON; `.null` is a real value (`value: null`), `nil` means absent.
    public var value: JSONValue?

    public init(op: PatchOperation, path: String, from: String? = nil, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.from = from
        self.value = value
    }

    private enum CodingKeys: String, CodingKey { case op, path, from, value }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        op = try container.decode(PatchOperation.self, forKey: .op)
        path = try container.decode(String.self, forKey: .path)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        // decodeIfPresent would turn an explicit null into nil; keep it as a value. (Not a ternary:
        // JSONValue is ExpressibleByNilLiteral, so `: nil` there would mean `.null`.)
        if container.contains(.value) {
            value = try container.decode(JSONValue.self, forKey: .value)
        } else {
            value = Optional<JSONValue>.none
        }
    }
}
