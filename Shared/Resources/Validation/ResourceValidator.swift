import AnvilJSON

/// The single entry point for every write: refuses unknown kinds, converts metal.sidero.dev
/// v1alpha1 to the v1alpha2 storage version, applies defaults, checks every field strictly,
/// and returns the normalised storage-form object.
public enum ResourceValidator {
    public static func validate(_ input: Resource) throws -> Resource {
        guard let kind = ResourceKinds.served(apiVersion: input.apiVersion, kind: input.kind) else {
            throw ResourceError.unknownKind(apiVersion: input.apiVersion, kind: input.kind)
        }
        var resource = input
        if resource.apiVersion != kind.storageAPIVersion {
            try checkLegacyShape(resource, kind: kind)
            resource = try ResourceConversion.convert(resource, toAPIVersion: kind.storageAPIVersion)
        }
        resource.metadata = try MetadataRules.normalise(resource.metadata, kind: kind)
        switch kind {
        case ResourceKinds.server: resource.body = try checked(Server.self, resource, ServerRules.check)
        case ResourceKinds.serverClass: resource.body = try checked(ServerClass.self, resource, ServerClassRules.check)
        case ResourceKinds.environment: resource.body = try checked(Environment.self, resource, EnvironmentRules.check)
        case ResourceKinds.metalCluster: resource.body = try checked(MetalCluster.self, resource, MachineRules.check)
        case ResourceKinds.metalMachine: resource.body = try checked(MetalMachine.self, resource, MachineRules.check)
        case ResourceKinds.metalMachineTemplate:
            resource.body = try checked(MetalMachineTemplate.self, resource, MachineRules.check)
        case ResourceKinds.serverBinding: resource.body = try checked(ServerBinding.self, resource, MachineRules.check)
        case ResourceKinds.secret: resource.body = try checkedSecret(resource)
        default: throw ResourceError.unknownKind(apiVersion: input.apiVersion, kind: input.kind)
        }
        return resource
    }

    /// Strict check of a {spec, status} body whose status may be plain (``PlainStatus``): a plain
    /// status is taken as it is, and only the rest goes through the strict path.
    private static func checked<T: SpecStatusResource>(
        _ type: T.Type, _ resource: Resource, _ rules: (T) throws -> Void
    ) throws -> [String: JSONValue] where T.Status: PlainStatus {
        guard let json = resource.body["status"], let status = T.Status.plain(json) else {
            return try strictlyChecked(type, resource, rules)
        }
        var rest = resource
        rest.body["status"] = nil
        let (body, normalised) = try StrictFields.check(
            SpecStatusBody<T.Spec, T.Status>.self, .object(rest.body), prefix: "")
        let spec = try body.spec ?? TypedResourceCoding.decode(T.Spec.self, from: [:], prefix: "spec")
        try rules(T(metadata: resource.metadata, spec: spec, status: status))
        var result = normalised.objectValue ?? [:]
        result["status"] = json
        return result
    }

    /// Strict check of a {spec, status} body, then the kind's own rules on the typed value.
    private static func checked<T: SpecStatusResource>(
        _ type: T.Type, _ resource: Resource, _ rules: (T) throws -> Void
    ) throws -> [String: JSONValue] {
        try strictlyChecked(type, resource, rules)
    }

    private static func strictlyChecked<T: SpecStatusResource>(
        _ type: T.Type, _ resource: Resource, _ rules: (T) throws -> Void
    ) throws -> [String: JSONValue] {
        let (body, normalised) = try StrictFields.check(
            SpecStatusBody<T.Spec, T.Status>.self, .object(resource.body), prefix: "")
        let spec = try body.spec ?? TypedResourceCoding.decode(T.Spec.self, from: [:], prefix: "spec")
        let status = try body.status ?? TypedResourceCoding.decode(T.Status.self, from: [:], prefix: "status")
        try rules(T(metadata: resource.metadata, spec: spec, status: status))
        return normalised.objectValue ?? [:]
    }

    private static func checkedSecret(_ resource: Resource) throws -> [String: JSONValue] {
        let (body, _) = try StrictFields.check(Secret.Body.self, .object(resource.body), prefix: "")
        let secret = Secret(
            metadata: resource.metadata, type: body.type, data: body.data, stringData: body.stringData,
            immutable: body.immutable)
        return try SecretRules.normalise(secret).resource.body
    }

    /// v1alpha1 input is checked in its own shape first so errors name the fields the user wrote.
    private static func checkLegacyShape(_ resource: Resource, kind: ResourceKind) throws {
        switch kind {
        case ResourceKinds.server:
            _ = try StrictFields.check(
                SpecStatusBody<LegacyServerSpec, ServerStatus>.self, .object(resource.body), prefix: "")
        case ResourceKinds.serverClass:
            _ = try StrictFields.check(
                SpecStatusBody<LegacyServerClassSpec, ServerClassStatus>.self, .object(resource.body), prefix: "")
        default:
            break
        }
    }
}
