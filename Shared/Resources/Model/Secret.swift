import AnvilJSON
import Foundation

/// A core/v1 Secret: BMC credentials and machine configs. Unlike other kinds it has no
/// spec/status; its fields sit at the top level.
public struct Secret: TypedResource {
    public static let resourceKind = ResourceKinds.secret
    public static let defaultType = "Opaque"

    public var metadata: ObjectMeta
    public var type: String?
    /// Values are base64.
    public var data: [String: String]?
    /// Plain-text values; the validator merges them into `data` and drops this field.
    public var stringData: [String: String]?
    public var immutable: Bool?

    public init(
        metadata: ObjectMeta, type: String? = nil, data: [String: String]? = nil,
        stringData: [String: String]? = nil, immutable: Bool? = nil
    ) {
        self.metadata = metadata
        self.type = type
        self.data = data
        self.stringData = stringData
        self.immutable = immutable
    }

    /// Builds a Secret from plain values, base64-encoding them.
    public init(metadata: ObjectMeta, values: [String: Data], type: String = Secret.defaultType) {
        self.init(metadata: metadata, type: type, data: values.mapValues { $0.base64EncodedString() })
    }

    /// The decoded bytes of one key (stringData wins, as in Kubernetes).
    public func value(forKey key: String) -> Data? {
        if let text = stringData?[key] { return Data(text.utf8) }
        return data?[key].flatMap { Data(base64Encoded: $0) }
    }

    /// The decoded value of one key as UTF-8 text.
    public func string(forKey key: String) -> String? {
        value(forKey: key).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The top-level body fields.
    struct Body: Codable {
        var type: String?
        var data: [String: String]?
        var stringData: [String: String]?
        var immutable: Bool?
    }

    public init(_ resource: Resource) throws {
        let stored = try TypedResourceCoding.storageForm(of: resource, as: Self.resourceKind)
        let body = try TypedResourceCoding.decode(Body.self, from: .object(stored.body), prefix: "")
        self.init(
            metadata: stored.metadata, type: body.type, data: body.data, stringData: body.stringData,
            immutable: body.immutable)
    }

    public var resource: Resource {
        let body = Body(type: type, data: data, stringData: stringData, immutable: immutable)
        return Resource(
            apiVersion: Self.resourceKind.storageAPIVersion, kind: Self.resourceKind.kind, metadata: metadata,
            body: TypedResourceCoding.encode(body).objectValue ?? [:])
    }
}
