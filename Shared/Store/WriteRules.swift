import AnvilJSON
import AnvilResources

/// Rules every write obeys whatever validator the store was opened with (Kubernetes' API server
/// and etcd limits), checked on the object about to be stored, so nothing is written on failure.
enum WriteRules {
    /// etcd's default request limit: the largest object, as encoded JSON.
    static let maximumObjectBytes = 1_572_864

    /// Refuses an object whose JSON is over ``maximumObjectBytes``, naming its size and the limit.
    static func checkSize(_ resource: Resource) throws {
        let size = resource.json.jsonString(pretty: false).utf8.count
        guard size <= maximumObjectBytes else {
            throw ResourceError.invalid(
                field: "object",
                message: "\(resource.kind.lowercased()) \"\(resource.name)\" is \(size) bytes as JSON; "
                    + "at most \(maximumObjectBytes) bytes (1.5 MiB) are accepted")
        }
    }

    /// An object being deleted may lose finalizers but gain none (Kubernetes forbids it: the
    /// deletion would otherwise never finish).
    static func checkFinalizers(stored: Resource, next: Resource) throws {
        guard stored.metadata.deletionTimestamp != nil else { return }
        let before = Set(stored.metadata.finalizers ?? [])
        if let added = (next.metadata.finalizers ?? []).first(where: { !before.contains($0) }) {
            throw ResourceError.invalid(
                field: "metadata.finalizers",
                message: "cannot add finalizer \"\(added)\": the object is being deleted (metadata.deletionTimestamp is set)")
        }
    }
}
