import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing
@testable import MetadatadCore

/// `/configdata`'s inputs, read link by link from a real store: ServerBinding → MetalMachine →
/// bootstrap Secret `value`, plus the ServerClass's and the Server's patches. Each missing link
/// is a ConfigDataUnavailable (a 404) whose message says which one.
@Suite struct ConfigDataSourceTests {
    static let uuid = "4c4c4544-0000-1000-8000-0000000000d1"
    static let config = "version: v1alpha1\nmachine:\n  type: worker\n"
    static let classPatches = [ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/vda")]
    static let serverPatches = [ConfigPatch(op: .add, path: "/machine/network", value: ["hostname": "node-1"])]

    /// The chain's objects; each test leaves out or breaks one link.
    struct Chain {
        var binding = true
        var machine = true
        var secretName: String? = "m1-bootstrap"
        var secret = true
        var secretValues: [String: Data] = ["value": Data(ConfigDataSourceTests.config.utf8)]
        var serverClass = true
        var server = true

        func create(in store: Store) async throws {
            if serverClass {
                var serverClass = ServerClass(metadata: ObjectMeta(name: "workers"))
                serverClass.spec.configPatches = ConfigDataSourceTests.classPatches
                _ = try await store.seed(serverClass.resource)
            }
            if server {
                var server = Server(metadata: ObjectMeta(name: ConfigDataSourceTests.uuid))
                server.spec.accepted = true
                server.spec.configPatches = ConfigDataSourceTests.serverPatches
                _ = try await store.seed(server.resource)
            }
            if secret {
                _ = try await store.seed(Secret(metadata: ObjectMeta(name: "m1-bootstrap", namespace: "default"), values: secretValues).resource)
            }
            if machine {
                var machine = MetalMachine(metadata: ObjectMeta(name: "m1", namespace: "default"))
                machine.spec.bootstrap = secretName.map { MachineBootstrap(dataSecretName: $0) }
                _ = try await store.seed(machine.resource)
            }
            if binding {
                _ = try await store.seed(ServerBinding(
                    metadata: ObjectMeta(name: ConfigDataSourceTests.uuid),
                    spec: ServerBindingSpec(
                        metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"),
                        serverClassRef: ObjectReference(kind: "ServerClass", name: "workers"))).resource)
            }
        }
    }

    /// The inputs for the chain, or the unavailability message.
    func read(_ chain: Chain) async throws -> Result<ConfigDataInputs, ConfigDataUnavailable> {
        var result: Result<ConfigDataInputs, ConfigDataUnavailable>?
        try await withTemporaryStore { store, _ in
            try await chain.create(in: store)
            do {
                result = .success(try await ConfigDataSource(store: store).inputs(uuid: Self.uuid))
            } catch let unavailable as ConfigDataUnavailable {
                result = .failure(unavailable)
            }
        }
        return try #require(result)
    }

    func message(_ chain: Chain) async throws -> String? {
        guard case .failure(let unavailable) = try await read(chain) else { return nil }
        return unavailable.message
    }

    @Test func withoutABindingTheServerIsNotAllocated() async throws {
        #expect(try await message(Chain(binding: false)) == "server \(Self.uuid) is not allocated (no ServerBinding)")
    }

    @Test func aMissingMetalMachineIsNamed() async throws {
        #expect(try await message(Chain(machine: false)) == "MetalMachine default/m1 of server \(Self.uuid) not found")
    }

    @Test func aMetalMachineWithoutDataSecretNameHasNoConfig() async throws {
        #expect(try await message(Chain(secretName: nil))
            == "MetalMachine default/m1 has no bootstrap.dataSecretName: no config for server \(Self.uuid)")
    }

    @Test func aMissingBootstrapSecretIsNamed() async throws {
        #expect(try await message(Chain(secret: false)) == "bootstrap Secret default/m1-bootstrap of server \(Self.uuid) not found")
    }

    @Test func aBootstrapSecretWithoutValueIsNamed() async throws {
        #expect(try await message(Chain(secretValues: ["other": Data("x".utf8)]))
            == "bootstrap Secret default/m1-bootstrap has no key \"value\"")
    }

    @Test func aBootstrapValueThatIsNotTextIsRefused() async throws {
        #expect(try await message(Chain(secretValues: ["value": Data([0xff, 0xfe, 0x00])]))
            == "bootstrap Secret default/m1-bootstrap key \"value\" is not UTF-8 text")
    }

    @Test func theCompleteChainGivesConfigAndBothPatchLists() async throws {
        let inputs = try await read(Chain()).get()
        #expect(inputs.config == Self.config)
        #expect(inputs.className == "workers")
        #expect(inputs.classPatches == Self.classPatches)
        #expect(inputs.serverPatches == Self.serverPatches)
    }

    @Test func patchesAreOptional() async throws {
        // A binding naming a class that is gone, and no Server object: the config alone.
        let inputs = try await read(Chain(serverClass: false, server: false)).get()
        #expect(inputs.config == Self.config)
        #expect(inputs.className == "workers")
        #expect(inputs.classPatches.isEmpty)
        #expect(inputs.serverPatches.isEmpty)
    }
}
