import AnvilBus
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation

/// A bmcd process on its own state directory (one store), with a bus client to call it.
final class BMCDaemon: Sendable {
    let state: TemporaryDirectory
    let child: ChildProcess
    let store: Store
    let client: BusClient

    /// `state`: share another daemon's state directory (one store).
    init(state shared: TemporaryDirectory? = nil, extraArguments: [String] = []) async throws {
        state = try shared ?? TemporaryDirectory()
        child = try ChildProcess(
            BuiltProducts.url("bmcd"),
            ["--local", "--state", state.path, "--http-port", "0", "--log-level", "debug", "--ipmi-timeout", "500ms"] + extraArguments)
        client = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(60))
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await client.call("health.check")) == nil {
            guard ContinuousClock.now < deadline, child.isRunning else {
                throw TestFailure("bmcd did not come up: \(child.stdout.suffix(2000)) \(child.stderr.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
    }

    /// Creates (or replaces) a Server from a manifest-like spec object.
    func applyServer(_ name: String, spec: [String: JSONValue]) async throws {
        let resource = try ResourceValidator.validate(Resource(
            apiVersion: "metal.sidero.dev/v1alpha2", kind: "Server", metadata: ObjectMeta(name: name),
            body: ["spec": .object(spec)]))
        if try await store.find(kind: "Server", name: name) != nil {
            _ = try await store.delete(kind: "Server", name: name)
        }
        _ = try await store.seed(resource)
    }

    func server(_ name: String) async throws -> Server {
        guard let resource = try await store.find(kind: "Server", name: name) else { throw TestFailure("server \(name) not found") }
        return try Server(resource)
    }

    /// Calls bmcd; a bus error is returned, not thrown.
    func call(_ method: String, _ params: [String: JSONValue]) async -> Result<JSONValue, BusError> {
        do {
            return .success(try await client.call(method, params: .object(params)))
        } catch let error as BusError {
            return .failure(error)
        } catch {
            return .failure(BusError.internalError("\(error)"))
        }
    }

    func stop() async throws {
        await client.close()
        child.signal(SIGTERM)
        _ = try await child.wait(timeout: .seconds(20))
    }

    deinit {
        if child.isRunning { child.signal(SIGKILL) }
    }
}
