import AnvilJSON
import Testing

@testable import AnvilResources

@Suite struct FixtureTests {
    @Test(arguments: Fixtures.names)
    func fixtureParsesAndValidates(name: String) throws {
        let resources = try Fixtures.resources(name)
        #expect(!resources.isEmpty)
        for resource in resources {
            let stored = try ResourceValidator.validate(resource)
            let kind = try #require(ResourceKinds.kind(stored.kind))
            #expect(stored.apiVersion == kind.storageAPIVersion)
            // Validation is idempotent: a stored object validates to itself.
            #expect(try ResourceValidator.validate(stored) == stored)
        }
    }

    /// Storage-form fixtures that need no defaults come back exactly as written.
    @Test(arguments: ["server-v1alpha2", "serverclass-v1alpha2", "environment-v1alpha2", "cluster", "metalmachine", "serverbinding"])
    func storageFormFixtureValidatesUnchanged(name: String) throws {
        for resource in try Fixtures.resources(name) {
            #expect(try ResourceValidator.validate(resource) == resource)
        }
    }

    @Test(arguments: Fixtures.names)
    func yamlRoundTrip(name: String) throws {
        let stored = try Fixtures.resources(name).map(ResourceValidator.validate)
        let text = Manifest.yaml(stored)
        let again = try Manifest.parse(text).map(ResourceValidator.validate)
        #expect(again == stored)
    }

    @Test(arguments: Fixtures.names)
    func jsonRoundTrip(name: String) throws {
        for resource in try Fixtures.resources(name).map(ResourceValidator.validate) {
            for pretty in [false, true] {
                let again = try Manifest.parse(Manifest.json(resource, pretty: pretty)).map(ResourceValidator.validate)
                #expect(again == [resource])
            }
        }
    }

    @Test(arguments: Fixtures.names)
    func typedModelRoundTrip(name: String) throws {
        for resource in try Fixtures.resources(name).map(ResourceValidator.validate) {
            let typed = try typedResource(resource)
            // The typed form re-validates and decodes to the same value.
            let again = try typedResource(ResourceValidator.validate(typed.resource))
            #expect(AnyHashable(again) == AnyHashable(typed))
        }
    }

    @Test func mixedFileSkipsEmptyDocuments() throws {
        let kinds = try Fixtures.resources("mixed").map(\.kind)
        #expect(kinds == ["Environment", "ServerClass", "Server", "Secret", "MetalMachine"])
    }

    @Test func unservedKindsAreRefusedByName() throws {
        let resources = try Fixtures.resources("talos-cluster")
        #expect(resources.map(\.kind) == ["Cluster", "TalosControlPlane"])
        expectError("no kind \"Cluster\" is served by Anvil in version \"cluster.x-k8s.io/v1beta1\"") {
            try ResourceValidator.validate(resources[0])
        }
        #expect(throws: ResourceError.unknownKind(apiVersion: "controlplane.cluster.x-k8s.io/v1alpha3", kind: "TalosControlPlane")) {
            try ResourceValidator.validate(resources[1])
        }
    }

    @Test func serverFixtureDecodesEveryField() throws {
        let server = try Server(Fixtures.resource("server-v1alpha2"))
        #expect(server.spec.accepted)
        #expect(server.spec.bmc?.userFrom?.secretKeyRef == SecretKeyRef(name: "ipmi-credentials", key: "username"))
        #expect(server.spec.bmc?.effectivePort == 623)
        #expect(server.spec.bootFromDiskMethod == .ipxeSanboot)
        #expect(server.spec.pxeMode == .uefi)
        #expect(server.spec.configPatches?.first?.value?["name"] == "custom")
        #expect(server.spec.hardware?.compute?.processors?.first?.speed == 2400)
        #expect(server.spec.hardware?.storage?.devices?.first?.size == 1_199_101_181_952)
        #expect(server.spec.hardware?.network?.interfaces?[1].mac == "40:8d:5c:86:5a:14")
        #expect(server.status.power == .off)
        #expect(server.status.condition(Server.conditionPowerCycle)?.status == "True")
        #expect(server.metadata.labels?["common-label"] == "true")
    }

    @Test func secretStringDataIsMergedIntoData() throws {
        let stored = try ResourceValidator.validate(Fixtures.resource("secret"))
        let secret = try Secret(stored)
        #expect(secret.stringData == nil)
        #expect(secret.type == "Opaque")
        #expect(secret.data == ["username": "YWRtaW4=", "password": "MDEyMzQ1Njc4OQ==", "note": "aGVsbG8="])
        #expect(secret.string(forKey: "password") == "0123456789")
        #expect(stored.body["stringData"] == nil)
    }

    @Test func namespacedKindsDefaultToDefaultNamespace() throws {
        let machine = try #require(Fixtures.resources("mixed").first { $0.kind == "MetalMachine" })
        #expect(machine.metadata.namespace == nil)
        #expect(try ResourceValidator.validate(machine).metadata.namespace == "default")
    }

    private func typedResource(_ resource: Resource) throws -> any TypedResource {
        switch resource.kind {
        case "Server": return try Server(resource)
        case "ServerClass": return try ServerClass(resource)
        case "Environment": return try Environment(resource)
        case "MetalCluster": return try MetalCluster(resource)
        case "MetalMachine": return try MetalMachine(resource)
        case "MetalMachineTemplate": return try MetalMachineTemplate(resource)
        case "ServerBinding": return try ServerBinding(resource)
        case "Secret": return try Secret(resource)
        default: throw ResourceError.unknownKind(apiVersion: resource.apiVersion, kind: resource.kind)
        }
    }
}
