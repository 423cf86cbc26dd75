/// metadata checks: names, namespace scope, labels and annotations. Fields the store manages
/// (uid, resourceVersion, generation, timestamps) pass through untouched.
enum MetadataRules {
    /// Kinds whose name is a server's SMBIOS UUID.
    static let uuidNamedKinds: Set<String> = [ResourceKinds.server.kind, ResourceKinds.serverBinding.kind]
    static let defaultNamespace = "default"

    static func normalise(_ metadata: ObjectMeta, kind: ResourceKind) throws -> ObjectMeta {
        var metadata = metadata
        try checkName(metadata.name, kind: kind)
        let namespace = metadata.namespace ?? ""
        if kind.namespaced {
            if namespace.isEmpty {
                metadata.namespace = defaultNamespace
            } else if !NameRules.isDNS1123Label(namespace) {
                throw ResourceError.invalid(
                    field: "metadata.namespace", message: "\"\(namespace)\" \(NameRules.dns1123LabelMessage)")
            }
        } else {
            guard namespace.isEmpty else {
                throw ResourceError.invalid(
                    field: "metadata.namespace", message: "must not be set: \(kind.kind) is cluster-scoped")
            }
            metadata.namespace = nil
        }
        try LabelRules.checkLabels(metadata.labels, field: "metadata.labels")
        for key in (metadata.annotations ?? [:]).keys.sorted() {
            try LabelRules.checkKey(key, field: "metadata.annotations")
        }
        try checkAnnotationsSize(metadata.annotations)
        return metadata
    }

    /// Kubernetes' limit on all annotations of one object: keys and values together.
    static let maximumAnnotationBytes = 262_144

    static func checkAnnotationsSize(_ annotations: [String: String]?) throws {
        let size = (annotations ?? [:]).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard size <= maximumAnnotationBytes else {
            throw ResourceError.invalid(
                field: "metadata.annotations",
                message: "total size \(size) bytes (keys and values) is over the limit of \(maximumAnnotationBytes) bytes (256 KiB)")
        }
    }

    static func checkName(_ name: String, kind: ResourceKind) throws {
        guard !name.isEmpty else {
            throw ResourceError.invalid(field: "metadata.name", message: "required")
        }
        guard name.utf8.count <= NameRules.maximumNameLength else {
            throw ResourceError.invalid(
                field: "metadata.name",
                message: "is \(name.utf8.count) characters long; at most \(NameRules.maximumNameLength) are accepted")
        }
        if uuidNamedKinds.contains(kind.kind) {
            guard NameRules.isUUID(name) else {
                throw ResourceError.invalid(field: "metadata.name", message: "\"\(name)\" \(NameRules.uuidMessage)")
            }
        } else if !NameRules.isDNS1123Subdomain(name) {
            throw ResourceError.invalid(field: "metadata.name", message: "\"\(name)\" \(NameRules.dns1123SubdomainMessage)")
        }
    }
}
