import AnvilBus
import AnvilDaemon
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Synchronization

/// `--create-servers`: the fleet's Servers written into Anvil's store as `anvil apply` would
/// (Tools/anvil/ApplyCommand.swift: the store in the state directory, every object validated),
/// named by UUID, with `spec.bmc` pointing at the machine's BMC and its credentials in a Secret
/// `<uuid>-bmc` (Sidero's layout, so no inline password). Running daemons get a store hint.
public enum ServerCreation {
    public struct Outcome: Sendable, Equatable {
        public var created: [String] = []
        public var existing: [String] = []
    }

    /// Creates what is missing; Servers that exist are left as they are. The run directory is
    /// `ANVIL_RUN_DIR`, else `<state>/run`, as the CLI's.
    public static func create(
        machines: [(identity: MachineIdentity, bmc: SimulatedBMCEndpoint?)], stateDirectory: URL, accepted: Bool,
        runDirectory: URL? = nil
    ) async throws -> Outcome {
        let written = Mutex<Int64>(0)
        let store = try await Store.open(
            stateDirectory: stateDirectory, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { revision in written.withLock { $0 = max($0, revision) } }))
        var outcome = Outcome()
        var seen = Set<String>()
        for (identity, bmc) in machines where seen.insert(identity.uuid).inserted {
            if try await store.find(kind: "Server", namespace: "", name: identity.uuid) != nil {
                outcome.existing.append(identity.uuid)
                continue
            }
            if let bmc {
                let secret = try ResourceValidator.validate(try Resource(json: secretJSON(uuid: identity.uuid, bmc: bmc)))
                if try await store.find(kind: "Secret", namespace: "default", name: "\(identity.uuid)-bmc") == nil {
                    _ = try await store.create(secret)
                }
            }
            _ = try await store.create(try ResourceValidator.validate(try Resource(json: serverJSON(uuid: identity.uuid, bmc: bmc, accepted: accepted))))
            outcome.created.append(identity.uuid)
        }
        let revision = written.withLock { $0 }
        if revision > 0 {
            let run = runDirectory ?? ProcessInfo.processInfo.environment["ANVIL_RUN_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
                ?? stateDirectory.appendingPathComponent("run", isDirectory: true)
            await StoreChangeHints.send(revision: revision, directory: ServiceDirectory(runDirectory: run.path), from: "anvil-sim")
        }
        return outcome
    }

    static func serverJSON(uuid: String, bmc: SimulatedBMCEndpoint?, accepted: Bool) -> JSONValue {
        var spec: [String: JSONValue] = ["accepted": .bool(accepted)]
        if let bmc {
            spec["bmc"] = .object([
                "endpoint": .string(bmc.host), "port": .int(Int64(bmc.port)),
                "userFrom": .object(["secretKeyRef": .object(["name": .string("\(uuid)-bmc"), "namespace": .string("default"), "key": .string("user")])]),
                "passFrom": .object(["secretKeyRef": .object(["name": .string("\(uuid)-bmc"), "namespace": .string("default"), "key": .string("pass")])]),
            ])
        }
        return .object([
            "apiVersion": .string("metal.sidero.dev/v1alpha2"), "kind": .string("Server"),
            "metadata": .object(["name": .string(uuid)]),
            "spec": .object(spec),
        ])
    }

    static func secretJSON(uuid: String, bmc: SimulatedBMCEndpoint) -> JSONValue {
        .object([
            "apiVersion": .string("v1"), "kind": .string("Secret"),
            "metadata": .object(["name": .string("\(uuid)-bmc"), "namespace": .string("default")]),
            "stringData": .object(["user": .string(bmc.user), "pass": .string(bmc.password)]),
        ])
    }
}
