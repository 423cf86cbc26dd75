import AnvilResources
import AnvilStore

extension Store {
    /// Stores `resource` as its owner would leave it: `create` ignores status (Kubernetes
    /// semantics), so a status to seed is written afterwards through `updateStatus`.
    @discardableResult
    func seed(_ resource: Resource) async throws -> Resource {
        let created = try await create(resource)
        guard let status = resource.status, !status.isNull else { return created }
        var reported = created
        reported.status = status
        return try await updateStatus(reported)
    }
}
