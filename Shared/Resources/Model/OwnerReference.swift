import AnvilJSON

/// A Kubernetes ownerReference (`metadata.ownerReferences[]`): the object that owns this one.
/// Deleting the owner deletes its dependents (the reconciler's owner-reference collector).
/// `ObjectMeta.ownerReferences` keeps the raw JSON so unknown fields survive a round trip; this
/// is the typed view of one entry.
public struct OwnerReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// The reference an owner gives its dependents: its storage apiVersion, kind, name and uid.
    public init?(owner: ObjectMeta, kind: ResourceKind, controller: Bool? = true) {
        guard let uid = owner.uid else { return nil }
        self.init(apiVersion: kind.storageAPIVersion, kind: kind.kind, name: owner.name, uid: uid, controller: controller)
    }

    /// One entry of `metadata.ownerReferences`; nil when a required field is missing.
    public init?(json: JSONValue) {
        guard let apiVersion = json["apiVersion"]?.stringValue, let kind = json["kind"]?.stringValue,
            let name = json["name"]?.stringValue, let uid = json["uid"]?.stringValue
        else { return nil }
        self.init(
            apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: json["controller"]?.boolValue,
            blockOwnerDeletion: json["blockOwnerDeletion"]?.boolValue)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { object["controller"] = .bool(controller) }
        if let blockOwnerDeletion { object["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .object(object)
    }
}

extension ObjectMeta {
    /// The well-formed entries of `ownerReferences`.
    public var owners: [OwnerReference] {
        (ownerReferences ?? []).compactMap(OwnerReference.init(json:))
    }
}
