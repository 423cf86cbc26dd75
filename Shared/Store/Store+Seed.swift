import AnvilResources

extension Store {
    /// Stores `resource` as its owner would leave it, status included: `create` ignores status
    /// (Kubernetes semantics), so the status is written afterwards through `updateStatus`. For
    /// tests, benchmarks and imports that restore objects with their status.
    @discardableResult
    public func seed(_ resource: Resource) async throws -> Resource {
        let created = try await create(resource)
        guard let status = resource.status, !status.isNull else { return created }
        var reported = created
        reported.status = status
        return try await updateStatus(reported)
    }
}
