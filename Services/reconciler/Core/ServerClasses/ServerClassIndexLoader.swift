import AnvilResources
import AnvilStore
import Logging

/// Reads every Server and ServerClass into the index (the resync). An object that does not decode
/// is left out with a warning rather than stopping every class.
struct ServerClassIndexLoader: Sendable {
    let store: Store
    let logger: Logger

    /// Returns the names of the classes loaded.
    func load(into index: ServerClassIndex) async throws -> [String] {
        let servers = try await store.list(kind: Server.resourceKind.kind).compactMap { decode(Server.self, $0) }
        let classes = try await store.list(kind: ServerClass.resourceKind.kind).compactMap { decode(ServerClass.self, $0) }
        await index.load(servers: servers, classes: classes)
        return classes.map(\.metadata.name)
    }

    private func decode<T: SpecStatusResource>(_ type: T.Type, _ resource: Resource) -> T? {
        do {
            return try T(resource)
        } catch {
            logger.warning(
                "cannot read object; left out of server classes",
                metadata: ["kind": "\(resource.kind)", "name": "\(resource.name)", "error": "\(error)"])
            return nil
        }
    }
}
