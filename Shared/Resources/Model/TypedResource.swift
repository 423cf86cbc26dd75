import AnvilJSON

/// A kind with a Swift model: built from the `Resource` envelope and turned back into one.
public protocol TypedResource: Sendable, Hashable {
    static var resourceKind: ResourceKind { get }
    var metadata: ObjectMeta { get set }
    /// Throws `ResourceError` naming the field that does not fit; accepts any served version.
    init(_ resource: Resource) throws
    /// The storage-version envelope.
    var resource: Resource { get }
}

/// The usual `{spec, status}` shape shared by every kind except Secret.
public protocol SpecStatusResource: TypedResource {
    associatedtype Spec: Codable & Sendable & Hashable
    associatedtype Status: Codable & Sendable & Hashable
    var spec: Spec { get set }
    var status: Status { get set }
    init(metadata: ObjectMeta, spec: Spec, status: Status)
}

/// The top level of a `{spec, status}` document; used for decoding and for strict field checks.
struct SpecStatusBody<Spec: Codable, Status: Codable>: Codable {
    var spec: Spec?
    var status: Status?
}

extension SpecStatusResource {
    public init(_ resource: Resource) throws {
        let stored = try TypedResourceCoding.storageForm(of: resource, as: Self.resourceKind)
        let body = try TypedResourceCoding.decode(
            SpecStatusBody<Spec, Status>.self, from: .object(stored.body), prefix: "")
        let spec = try body.spec ?? TypedResourceCoding.decode(Spec.self, from: [:], prefix: "spec")
        let status = try body.status ?? TypedResourceCoding.decode(Status.self, from: [:], prefix: "status")
        self.init(metadata: stored.metadata, spec: spec, status: status)
    }

    public var resource: Resource {
        var body: [String: JSONValue] = ["spec": TypedResourceCoding.encode(spec)]
        // A status equal to "nothing reported yet" is left out, as an API server would show it.
        let empty = try? TypedResourceCoding.decode(Status.self, from: [:], prefix: "status")
        if status != empty {
            body["status"] = TypedResourceCoding.encode(status)
        }
        return Resource(
            apiVersion: Self.resourceKind.storageAPIVersion, kind: Self.resourceKind.kind, metadata: metadata,
            body: body)
    }
}

/// Shared plumbing between typed kinds, the validator and conversion.
enum TypedResourceCoding {
    /// Checks the kind and converts older versions to the storage version.
    static func storageForm(of resource: Resource, as kind: ResourceKind) throws -> Resource {
        guard resource.kind == kind.kind else {
            throw ResourceError.invalid(field: "kind", message: "expected \(kind.kind), got \(resource.kind)")
        }
        guard resource.apiVersion != kind.storageAPIVersion else { return resource }
        return try ResourceConversion.convert(resource, toAPIVersion: kind.storageAPIVersion)
    }

    /// Decodes a typed value, turning Codable errors into `ResourceError.invalid` with a dotted path.
    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue, prefix: String) throws -> T {
        do {
            return try json.decode(T.self)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // Foundation reports 2.5 in an Int field as corrupt data with no path. Decoding again
            // with fractions turned into strings yields a type mismatch that names the field.
            do {
                _ = try fractionsAsStrings(json).decode(T.self)
            } catch {
                throw ResourceError.from(decodingError: error, prefix: prefix)
            }
            throw ResourceError.from(decodingError: DecodingError.dataCorrupted(context), prefix: prefix)
        } catch {
            throw ResourceError.from(decodingError: error, prefix: prefix)
        }
    }

    private static func fractionsAsStrings(_ json: JSONValue) -> JSONValue {
        switch json {
        case .double(let number) where number.rounded() != number: return .string("\(number)")
        case .array(let items): return .array(items.map(fractionsAsStrings))
        case .object(let object): return .object(object.mapValues(fractionsAsStrings))
        default: return json
        }
    }

    /// Encodes a typed value to its JSON tree (our model types always encode).
    static func encode<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONValue(encoding: value)) ?? .null
    }
}
