import AnvilResources

extension Store {
    /// Creates the Secret, or replaces the data of the one already there (its other fields and
    /// metadata kept): how BMC credentials are saved by the agent API and by bmcd's user enrolment.
    public func upsertSecret(_ secret: Secret) async throws {
        let namespace = secret.metadata.namespace ?? "default"
        if try await find(kind: ResourceKinds.secret.kind, namespace: namespace, name: secret.metadata.name) == nil {
            _ = try await create(secret.resource)
            return
        }
        _ = try await mutate(kind: ResourceKinds.secret.kind, namespace: namespace, name: secret.metadata.name) { resource in
            var current = try Secret(resource)
            current.data = secret.data
            current.stringData = nil
            resource = current.resource
        }
    }
}
