import AnvilJSON

/// Converts objects between the served versions of one kind (Sidero's conversion webhooks).
/// Only metal.sidero.dev Server and ServerClass differ between v1alpha1 and v1alpha2;
/// Environment changes nothing but apiVersion.
public enum ResourceConversion {
    public static func convert(_ resource: Resource, toAPIVersion target: String) throws -> Resource {
        guard let kind = ResourceKinds.served(apiVersion: resource.apiVersion, kind: resource.kind) else {
            throw ResourceError.unknownKind(apiVersion: resource.apiVersion, kind: resource.kind)
        }
        guard kind.apiVersions.contains(target) else {
            throw ResourceError.unknownKind(apiVersion: target, kind: resource.kind)
        }
        guard resource.apiVersion != target else { return resource }

        var converted = resource
        converted.apiVersion = target
        guard case .object(let spec)? = resource.spec else { return converted }
        let upgrading = target.hasSuffix("/v1alpha2")
        switch kind.kind {
        case ResourceKinds.server.kind:
            converted.spec = .object(upgrading ? ServerConversion.upgrade(spec) : ServerConversion.downgrade(spec))
        case ResourceKinds.serverClass.kind:
            converted.spec = .object(
                upgrading ? ServerClassConversion.upgrade(spec) : ServerClassConversion.downgrade(spec))
        default:
            break
        }
        return converted
    }
}

/// The two hardware facts v1alpha1 knows, as JSON: `system` and the first processor as `cpu`.
enum LegacyHardware {
    /// v1alpha1 `cpu{manufacturer, version}` → v1alpha2 processor `{manufacturer, productName}`.
    static func processor(fromCPU cpu: [String: JSONValue]) -> JSONValue {
        var processor: [String: JSONValue] = [:]
        processor["manufacturer"] = cpu["manufacturer"]
        processor["productName"] = cpu["version"]
        return .object(processor)
    }

    /// v1alpha2 processor → v1alpha1 `cpu`.
    static func cpu(fromProcessor processor: [String: JSONValue]) -> JSONValue {
        var cpu: [String: JSONValue] = [:]
        cpu["manufacturer"] = processor["manufacturer"]
        cpu["version"] = processor["productName"]
        return .object(cpu)
    }

    /// v1alpha2 `system` → v1alpha1 `system` (which has no uuid).
    static func legacySystem(_ system: [String: JSONValue]) -> JSONValue {
        .object(system.filter { $0.key != "uuid" })
    }

    /// The first processor of a v1alpha2 `compute`, if any.
    static func firstProcessor(of compute: JSONValue?) -> [String: JSONValue]? {
        compute?["processors"]?.arrayValue?.first?.objectValue
    }
}
