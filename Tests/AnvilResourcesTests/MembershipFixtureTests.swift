import Testing

@testable import AnvilResources

/// Sidero's example classes (Tests/AnvilResourcesTests/Fixtures) against servers built here:
/// which ones each class selects, after the v1alpha1 class is converted to v1alpha2.
@Suite struct MembershipFixtureTests {
    static let amd = Processor(manufacturer: "Advanced Micro Devices, Inc.", productName: "AMD Ryzen 7 2700X Eight-Core Processor")
    static let atom = Processor(manufacturer: "Intel(R) Corporation", productName: "Intel(R) Atom(TM) CPU C3558 @ 2.20GHz")
    static let xeon = Processor(manufacturer: "Intel", productName: "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz")

    func server(
        _ name: String, labels: [String: String], manufacturer: String = "Supermicro", processors: [Processor],
        memory: String = "32 GB", accepted: Bool = true, cordoned: Bool? = nil
    ) -> Server {
        Server(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: ServerSpec(
                hardware: HardwareInformation(
                    system: SystemInformation(manufacturer: manufacturer, productName: "X"),
                    compute: ComputeInformation(processorCount: processors.count, processors: processors),
                    memory: MemoryInformation(totalSize: memory)),
                accepted: accepted, cordoned: cordoned))
    }

    func selected(by serverClass: ServerClass, among servers: [Server]) -> [String] {
        ServerClassMembership.members(of: serverClass, among: servers).map(\.metadata.name)
    }

    /// v1alpha2 example: selector common-label=true, zone in (central, east), environment notin (prod);
    /// hardware (Dell AND AMD first) OR (Atom first AND 8 GB); labelSelectors rack=r1 OR row=a.
    @Test func v1alpha2ExampleClass() throws {
        let serverClass = try ServerClass(Fixtures.resource("serverclass-v1alpha2"))
        let base = ["common-label": "true", "zone": "east"]
        let servers = [
            // Dell with AMD at position 0, rack r1 only: one labelSelectors pair is enough.
            server("a-dell-amd-rack", labels: base.merging(["rack": "r1"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd]),
            // Same hardware, row a only (the other pair of the same entry).
            server("b-dell-amd-row", labels: base.merging(["row": "a", "zone": "central"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd]),
            // AMD second, not first: lists compare by position.
            server("c-dell-amd-second", labels: base.merging(["rack": "r1"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.xeon, Self.amd]),
            // Atom with 8 GB on any vendor: the second hardware entry.
            server("d-atom-8gb", labels: base.merging(["row": "a"]) { $1 }, processors: [Self.atom], memory: "8 GB"),
            // Atom with 16 GB: neither entry.
            server("e-atom-16gb", labels: base.merging(["row": "a"]) { $1 }, processors: [Self.atom], memory: "16 GB"),
            // Right hardware, no rack/row label.
            server("f-no-rack-label", labels: base, manufacturer: "Dell Inc.", processors: [Self.amd]),
            // Right hardware and labels, but the selector refuses environment=prod.
            server("g-prod", labels: base.merging(["rack": "r1", "environment": "prod"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd]),
            // Zone west is not in the selector's set.
            server("h-west", labels: base.merging(["rack": "r1", "zone": "west"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd]),
            // Matching but cordoned, or not accepted.
            server("i-cordoned", labels: base.merging(["rack": "r1"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd], cordoned: true),
            server("j-not-accepted", labels: base.merging(["rack": "r1"]) { $1 }, manufacturer: "Dell Inc.", processors: [Self.amd], accepted: false),
        ]
        #expect(selected(by: serverClass, among: servers.reversed()) == ["a-dell-amd-rack", "b-dell-amd-row", "d-atom-8gb"])
    }

    /// v1alpha1 example, converted: hardware entries Dell OR Atom OR AMD (each its own entry),
    /// labelSelectors my-server-label=true, selector role=master.
    @Test func v1alpha1ExampleClassConverted() throws {
        let legacy = try Fixtures.resource("serverclass-v1alpha1")
        #expect(legacy.apiVersion == "metal.sidero.dev/v1alpha1")
        let serverClass = try ServerClass(legacy)
        let labels = ["role": "master", "my-server-label": "true"]
        let servers = [
            // Dell system with any CPU: the systemInformation entry.
            server("a-dell-xeon", labels: labels, manufacturer: "Dell Inc.", processors: [Self.xeon]),
            // The AMD cpu entry, any vendor.
            server("b-amd", labels: labels, processors: [Self.amd]),
            // The Atom cpu entry: position 0 only.
            server("c-atom", labels: labels, processors: [Self.atom]),
            server("d-atom-second", labels: labels, processors: [Self.xeon, Self.atom]),
            // Right hardware, label value differs.
            server("e-label-false", labels: ["role": "master", "my-server-label": "false"], processors: [Self.amd]),
            // Right hardware and qualifier label, selector role=master missing.
            server("f-worker", labels: ["role": "worker", "my-server-label": "true"], processors: [Self.amd]),
            // Neither vendor nor CPU.
            server("g-supermicro-xeon", labels: labels, processors: [Self.xeon]),
        ]
        #expect(selected(by: serverClass, among: servers) == ["a-dell-xeon", "b-amd", "c-atom"])
    }

    /// Sidero's v1alpha1 server (Dell system, one Xeon) and class, both converted to v1alpha2.
    @Test func v1alpha1ServerAgainstV1alpha1Class() throws {
        let serverClass = try ServerClass(Fixtures.resource("serverclass-v1alpha1"))
        var server = try Server(Fixtures.resource("server-v1alpha1"))
        #expect(server.spec.hardware?.system?.manufacturer == "Dell Inc.")
        // As documented it is neither accepted nor labelled for the class, and it is cordoned.
        #expect(!ServerClassMembership.matches(server: server, serverClass: serverClass))
        server.spec.accepted = true
        server.spec.cordoned = false
        server.metadata.labels = ["rack": "r1", "role": "master", "my-server-label": "true"]
        #expect(ServerClassMembership.matches(server: server, serverClass: serverClass))
        server.spec.cordoned = true
        #expect(!ServerClassMembership.matches(server: server, serverClass: serverClass))
    }
}
