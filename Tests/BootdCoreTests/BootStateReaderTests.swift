import AnvilDaemon
import AnvilBoot
import AnvilResources
import AnvilStore
import Testing
@testable import BootdCore

/// The boot state read from a real store in one snapshot: the decision and the Environment it names.
@Suite struct BootStateReaderTests {
    func create(_ store: Store, _ resources: [Resource]) async throws {
        for resource in resources { _ = try await store.seed(resource) }
    }

    @Test func anUnknownServerIsTheAgentWithNothingElseRead() async throws {
        try await withTemporaryStore { store, _ in
            let state = try await BootStateReader(store: store).state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeExit)
            #expect(state.server == nil)
            #expect(state.target == .agent)
            #expect(state.environment == nil)
        }
    }

    @Test func anUnboundServerIsReadButGetsTheAgent() async throws {
        try await withTemporaryStore { store, _ in
            try await create(store, [BootFixtures.server(environment: "talos").resource, BootFixtures.environment("talos", ready: true).resource])
            let state = try await BootStateReader(store: store).state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeExit)
            #expect(state.server?.metadata.name == BootFixtures.uuid)
            #expect(state.target == .agent)
            #expect(state.environment == nil)
        }
    }

    @Test func theTargetAndItsEnvironmentAreReadTogether() async throws {
        try await withTemporaryStore { store, _ in
            try await create(store, [
                BootFixtures.server(environment: "talos").resource, BootFixtures.binding().resource,
                BootFixtures.environment("talos", ready: true).resource,
            ])
            let state = try await BootStateReader(store: store).state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeExit)
            #expect(state.target == .environment("talos"))
            #expect(state.environment?.metadata.name == "talos")
            #expect(state.environment?.spec.kernel?.url == BootFixtures.kernelURL)
            #expect(state.environment?.assetsReady == true)
        }
    }

    @Test func theServerClassOfTheBindingNamesTheEnvironment() async throws {
        try await withTemporaryStore { store, _ in
            var serverClass = ServerClass(metadata: ObjectMeta(name: "workers"))
            serverClass.spec.environmentRef = ObjectReference(name: "from-class")
            try await create(store, [
                serverClass.resource, BootFixtures.server().resource, BootFixtures.binding(serverClass: "workers").resource,
                BootFixtures.environment("from-class", ready: false).resource,
            ])
            let state = try await BootStateReader(store: store).state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeExit)
            #expect(state.target == .environment("from-class"))
            #expect(state.environment?.metadata.name == "from-class")
        }
    }

    @Test func aNamedEnvironmentThatDoesNotExistIsReadAsNil() async throws {
        try await withTemporaryStore { store, _ in
            try await create(store, [BootFixtures.server().resource, BootFixtures.binding().resource])
            let state = try await BootStateReader(store: store).state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeExit)
            #expect(state.target == .environment(Environment.defaultName))
            #expect(state.environment == nil)
        }
    }

    @Test func anInstalledServerBootsFromDiskByTheDefaultMethod() async throws {
        try await withTemporaryStore { store, _ in
            try await create(store, [BootFixtures.server(pxeBooted: true).resource, BootFixtures.binding().resource])
            let reader = BootStateReader(store: store)
            #expect(try await reader.state(uuid: BootFixtures.uuid, defaultDiskMethod: .http404).target == .disk(.http404))
            #expect(try await reader.state(uuid: BootFixtures.uuid, defaultDiskMethod: .ipxeSanboot).target == .disk(.ipxeSanboot))
        }
    }

    @Test func theDefaultDiskMethodComesFromTheSettings() async throws {
        try await withTemporaryStore { _, state in
            let standard = try bootdSettings(state: state)
            let configured = try bootdSettings(state: state, ["--boot-from-disk-method", "http-404"])
            #expect(standard.defaultDiskMethod == .ipxeExit)
            #expect(configured.defaultDiskMethod == .http404)
            #expect(throws: SettingError.self) { try bootdSettings(state: state, ["--boot-from-disk-method", "pxe"]) }
        }
    }
}
