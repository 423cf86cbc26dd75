import AnvilJSON

/// One object of any kind as a document: the envelope every layer passes around.
/// `body` holds every top-level field other than apiVersion/kind/metadata
/// (spec, status, and for Secrets data/stringData/type).
public struct Resource: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var body: [String: JSONValue]

    public init(apiVersion: String, kind: String, metadata: ObjectMeta, body: [String: JSONValue] = [:]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.body = body
    }

    public var spec: JSONValue? {
        get { body["spec"] }
        set { body["spec"] = newValue }
    }

    public var status: JSONValue? {
        get { body["status"] }
        set { body["status"] = newValue }
    }

    public var name: String { metadata.name }
    /// "" for cluster-scoped kinds.
    public var namespace: String { metadata.namespace ?? "" }

    /// The whole object as one JSON tree.
    public var json: JSONValue {
        var object = body
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        object["metadata"] = (try? JSONValue(encoding: metadata)) ?? .null
        return .object(object)
    }

    /// Builds the envelope from a JSON tree; throws `ResourceError.invalid` naming the field.
    public init(json: JSONValue) throws {
        guard case .object(var object) = json else {
            throw ResourceError.invalid(field: "", message: "an object must be a mapping, got \(json.typeName)")
        }
        guard let apiVersion = object.removeValue(forKey: "apiVersion")?.stringValue, !apiVersion.isEmpty else {
            throw ResourceError.invalid(field: "apiVersion", message: "required")
        }
        guard let kind = object.removeValue(forKey: "kind")?.stringValue, !kind.isEmpty else {
            throw ResourceError.invalid(field: "kind", message: "required")
        }
        guard let metadataJSON = object.removeValue(forKey: "metadata"), case .object(let metaObject) = metadataJSON else {
            throw ResourceError.invalid(field: "metadata", message: "required")
        }
        for key in metaObject.keys where !ObjectMeta.allFields.contains(key) {
            throw ResourceError.invalid(field: "metadata.\(key)", message: "unknown field")
        }
        let metadata: ObjectMeta
        do {
            metadata = try metadataJSON.decode(ObjectMeta.self)
        } catch {
            throw ResourceError.from(decodingError: error, prefix: "metadata")
        }
        self.init(apiVersion: apiVersion, kind: kind, metadata: metadata, body: object.filter { !$0.value.isNull })
    }
}

extension Resource: Codable {
    public init(from decoder: Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try json.encode(to: encoder)
    }
}

extension JSONValue {
    /// The YAML/JSON name of this value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "list"
        case .object: return "mapping"
        }
    }
}
