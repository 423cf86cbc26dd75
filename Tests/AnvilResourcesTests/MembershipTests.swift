import Testing

@testable import AnvilResources

@Suite struct MembershipTests {
    static let dell = HardwareInformation(
        system: SystemInformation(manufacturer: "Dell Inc.", productName: "PowerEdge R630"),
        compute: ComputeInformation(processors: [
            Processor(manufacturer: "Intel", productName: "Xeon E5-2630", speed: 2400),
            Processor(manufacturer: "Intel", productName: "Xeon E5-2640", speed: 2600),
        ]),
        memory: MemoryInformation(totalSize: "32 GB"))

    func server(
        _ suffix: String = "1", accepted: Bool = true, cordoned: Bool? = nil, labels: [String: String]? = nil,
        hardware: HardwareInformation? = dell
    ) -> Server {
        Server(
            metadata: ObjectMeta(name: "00000000-0000-0000-0000-00000000000\(suffix)", labels: labels),
            spec: ServerSpec(hardware: hardware, accepted: accepted, cordoned: cordoned))
    }

    func serverClass(_ name: String = "c", qualifiers: Qualifiers? = nil, selector: LabelSelector? = nil) -> ServerClass {
        ServerClass(metadata: ObjectMeta(name: name), spec: ServerClassSpec(qualifiers: qualifiers, selector: selector))
    }

    @Test func anyClassMatchesAcceptedUncordonedServers() {
        let any = serverClass(ServerClass.anyName)
        #expect(ServerClass.anyName == "any")
        #expect(ServerClassMembership.matches(server: server(), serverClass: any))
        #expect(ServerClassMembership.matches(server: server(hardware: nil), serverClass: any))
        #expect(!ServerClassMembership.matches(server: server(accepted: false), serverClass: any))
        #expect(!ServerClassMembership.matches(server: server(cordoned: true), serverClass: any))
        #expect(ServerClassMembership.matches(server: server(cordoned: false), serverClass: any))
    }

    @Test func hardwareEntriesAreOred() {
        let qualifiers = Qualifiers(hardware: [
            HardwareInformation(system: SystemInformation(manufacturer: "HPE")),
            HardwareInformation(memory: MemoryInformation(totalSize: "32 GB")),
        ])
        #expect(ServerClassMembership.matches(server: server(), serverClass: serverClass(qualifiers: qualifiers)))
        let neither = Qualifiers(hardware: [
            HardwareInformation(system: SystemInformation(manufacturer: "HPE")),
            HardwareInformation(memory: MemoryInformation(totalSize: "64 GB")),
        ])
        #expect(!ServerClassMembership.matches(server: server(), serverClass: serverClass(qualifiers: neither)))
    }

    @Test func hardwareEntryNeedsEveryFieldItSets() {
        let both = HardwareInformation(
            system: SystemInformation(manufacturer: "Dell Inc."), memory: MemoryInformation(totalSize: "64 GB"))
        #expect(!ServerClassMembership.matches(server: server(), serverClass: serverClass(qualifiers: Qualifiers(hardware: [both]))))
        // Empty strings and zeros are "not set", as in Sidero's PartialEqual.
        let blank = HardwareInformation(system: SystemInformation(manufacturer: "Dell Inc.", productName: ""),
                                        compute: ComputeInformation(totalCoreCount: 0))
        #expect(ServerClassMembership.matches(server: server(), serverClass: serverClass(qualifiers: Qualifiers(hardware: [blank]))))
    }

    @Test func listsCompareByPosition() {
        func cls(_ processors: [Processor]) -> ServerClass {
            serverClass(qualifiers: Qualifiers(hardware: [HardwareInformation(compute: ComputeInformation(processors: processors))]))
        }
        #expect(ServerClassMembership.matches(server: server(), serverClass: cls([Processor(productName: "Xeon E5-2630")])))
        // The second processor is not at position 0.
        #expect(!ServerClassMembership.matches(server: server(), serverClass: cls([Processor(productName: "Xeon E5-2640")])))
        #expect(ServerClassMembership.matches(server: server(), serverClass: cls([Processor(), Processor(speed: 2600)])))
        // A qualifier list longer than the server's never matches.
        #expect(!ServerClassMembership.matches(server: server(), serverClass: cls([Processor(), Processor(), Processor()])))
        // A server with no hardware reported only matches qualifiers that set nothing.
        #expect(!ServerClassMembership.matches(server: server(hardware: nil), serverClass: cls([Processor(manufacturer: "Intel")])))
    }

    @Test func anyLabelSelectorPairMatches() {
        // Sidero ORs every key=value pair of every entry: one pair is enough.
        let qualifiers = Qualifiers(labelSelectors: [["rack": "r1", "row": "a"], ["rack": "r9"]])
        let cls = serverClass(qualifiers: qualifiers)
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r1", "row": "a"]), serverClass: cls))
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r9"]), serverClass: cls))
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r1"]), serverClass: cls))
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r7", "row": "a"]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(labels: ["rack": "r7", "row": "b"]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(), serverClass: cls))
    }

    @Test func labelSelectorPairNeedsTheLabelPresent() {
        // An empty value matches an empty label, not a missing one (Go's `val, ok := labels[k]; ok`).
        let cls = serverClass(qualifiers: Qualifiers(labelSelectors: [["edge": ""]]))
        #expect(ServerClassMembership.matches(server: server(labels: ["edge": ""]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(labels: ["other": ""]), serverClass: cls))
        // An entry with no pairs matches nothing; an empty list places no constraint.
        #expect(!ServerClassMembership.matches(server: server(labels: ["a": "b"]), serverClass: serverClass(qualifiers: Qualifiers(labelSelectors: [[:]]))))
        #expect(ServerClassMembership.matches(server: server(), serverClass: serverClass(qualifiers: Qualifiers(labelSelectors: []))))
    }

    @Test func selectorNeedsEveryTerm() {
        // `selector` is a standard label selector: AND, unlike qualifiers.labelSelectors.
        let cls = serverClass(selector: LabelSelector(matchLabels: ["rack": "r1", "row": "a"]))
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r1", "row": "a", "x": "y"]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(labels: ["rack": "r1"]), serverClass: cls))
        #expect(ServerClassMembership.matches(server: server(), serverClass: serverClass(selector: LabelSelector())))
    }

    @Test func serverWithoutHardwareNeverMatchesAHardwareQualifier() {
        // Sidero: `info := server.Spec.Hardware; info != nil && filter.PartialEqual(info)`.
        let blank = serverClass(qualifiers: Qualifiers(hardware: [HardwareInformation()]))
        #expect(ServerClassMembership.matches(server: server(), serverClass: blank))
        #expect(!ServerClassMembership.matches(server: server(hardware: nil), serverClass: blank))
        #expect(ServerClassMembership.matches(server: server(hardware: nil), serverClass: serverClass(qualifiers: Qualifiers(hardware: []))))
    }

    @Test func categoriesAndSelectorAreAnded() {
        let qualifiers = Qualifiers(
            hardware: [HardwareInformation(system: SystemInformation(manufacturer: "Dell Inc."))],
            labelSelectors: [["rack": "r1"]])
        let selector = LabelSelector(matchExpressions: [.init(key: "zone", operator: .in, values: ["east"])])
        let cls = serverClass(qualifiers: qualifiers, selector: selector)
        #expect(ServerClassMembership.matches(server: server(labels: ["rack": "r1", "zone": "east"]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(labels: ["rack": "r1", "zone": "west"]), serverClass: cls))
        #expect(!ServerClassMembership.matches(server: server(labels: ["zone": "east"]), serverClass: cls))
        let hpe = HardwareInformation(system: SystemInformation(manufacturer: "HPE"))
        #expect(!ServerClassMembership.matches(server: server(labels: ["rack": "r1", "zone": "east"], hardware: hpe), serverClass: cls))
    }

    @Test func documentedClassMatchesDocumentedServer() throws {
        let documented = try ServerClass(Fixtures.resource("serverclass-v1alpha2"))
        var server = try Server(Fixtures.resource("server-v1alpha2"))
        // The documented server has an Intel CPU and 32 GB; the class wants Dell+AMD or Atom+8 GB.
        #expect(!ServerClassMembership.matches(server: server, serverClass: documented))
        server.spec.hardware?.compute?.processors = [
            Processor(manufacturer: "Advanced Micro Devices, Inc.", productName: "AMD Ryzen 7 2700X Eight-Core Processor")
        ]
        server.metadata.labels?["rack"] = "r1"
        server.metadata.labels?["row"] = "a"
        #expect(ServerClassMembership.matches(server: server, serverClass: documented))
    }

    @Test func membersAreSortedByName() {
        let servers = [server("3"), server("1"), server("2", cordoned: true)]
        let names = ServerClassMembership.members(of: serverClass(), among: servers).map(\.metadata.name)
        #expect(names == ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000003"])
    }

    @Test func constants() {
        #expect(Environment.defaultName == "default")
    }
}
