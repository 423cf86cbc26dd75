import AnvilJSON
import Testing

@testable import AnvilResources

@Suite struct ConversionTests {
    @Test func serverV1alpha1UpgradesToHardware() throws {
        let legacy = try Fixtures.resource("server-v1alpha1")
        let stored = try ResourceConversion.convert(legacy, toAPIVersion: "metal.sidero.dev/v1alpha2")
        #expect(stored.apiVersion == "metal.sidero.dev/v1alpha2")
        #expect(stored.spec?["system"] == nil)
        #expect(stored.spec?["cpu"] == nil)
        let server = try Server(stored)
        #expect(server.spec.hardware?.system?.manufacturer == "Dell Inc.")
        #expect(server.spec.hardware?.system?.version == "1.0")
        #expect(server.spec.hardware?.system?.skuNumber == "SKU=NotProvided;ModelName=PowerEdge R640")
        #expect(server.spec.hardware?.compute?.processors == [
            Processor(manufacturer: "Intel", productName: "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz")
        ])
        #expect(server.spec.bmc?.interface == .lanplus)
        #expect(server.spec.cordoned == true)
    }

    @Test func serverRoundTripsFromV1alpha1() throws {
        let legacy = try Fixtures.resource("server-v1alpha1")
        let up = try ResourceConversion.convert(legacy, toAPIVersion: "metal.sidero.dev/v1alpha2")
        let down = try ResourceConversion.convert(up, toAPIVersion: "metal.sidero.dev/v1alpha1")
        #expect(down == legacy)
    }

    @Test func serverRoundTripsFromV1alpha2() throws {
        let stored = try validated(
            serverYAML(
                spec: """
                  accepted: true
                  hardware:
                    system:
                      manufacturer: QEMU
                      productName: Standard PC
                      family: pc
                    compute:
                      processors:
                        - manufacturer: QEMU
                          productName: pc-q35
                """))
        let down = try ResourceConversion.convert(stored, toAPIVersion: "metal.sidero.dev/v1alpha1")
        #expect(down.spec?["system"] == ["manufacturer": "QEMU", "productName": "Standard PC", "family": "pc"])
        #expect(down.spec?["cpu"] == ["manufacturer": "QEMU", "version": "pc-q35"])
        #expect(down.spec?["hardware"] == nil)
        #expect(try ResourceConversion.convert(down, toAPIVersion: "metal.sidero.dev/v1alpha2") == stored)
    }

    @Test func serverDowngradeDropsWhatV1alpha1CannotHold() throws {
        let stored = try ResourceValidator.validate(Fixtures.resource("server-v1alpha2"))
        let down = try ResourceConversion.convert(stored, toAPIVersion: "metal.sidero.dev/v1alpha1")
        #expect(down.spec?["system"]?["serialNumber"] == "790H8D2")
        #expect(down.spec?["cpu"]?["version"] == "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz")
        #expect(down.spec?["hardware"] == nil)
        #expect(down.spec?["bmc"] == stored.spec?["bmc"])
        #expect(down.status == stored.status)
    }

    @Test func serverClassV1alpha1UpgradesQualifiers() throws {
        let legacy = try Fixtures.resource("serverclass-v1alpha1")
        let serverClass = try ServerClass(legacy)
        let hardware = try #require(serverClass.spec.qualifiers?.hardware)
        // Systems first, then CPUs, one hardware entry each (as Sidero converts).
        #expect(hardware == [
            HardwareInformation(system: SystemInformation(manufacturer: "Dell Inc.")),
            HardwareInformation(compute: ComputeInformation(processors: [
                Processor(manufacturer: "Intel(R) Corporation", productName: "Intel(R) Atom(TM) CPU C3558 @ 2.20GHz")
            ])),
            HardwareInformation(compute: ComputeInformation(processors: [
                Processor(manufacturer: "Advanced Micro Devices, Inc.", productName: "AMD Ryzen 7 2700X Eight-Core Processor")
            ])),
        ])
        #expect(serverClass.spec.qualifiers?.labelSelectors == [["my-server-label": "true"]])
        #expect(serverClass.spec.selector?.matchLabels == ["role": "master"])
    }

    @Test func serverClassRoundTripsBothWays() throws {
        let legacy = try Fixtures.resource("serverclass-v1alpha1")
        let up = try ResourceConversion.convert(legacy, toAPIVersion: "metal.sidero.dev/v1alpha2")
        let down = try ResourceConversion.convert(up, toAPIVersion: "metal.sidero.dev/v1alpha1")
        #expect(down == legacy)
        #expect(try ResourceConversion.convert(down, toAPIVersion: "metal.sidero.dev/v1alpha2") == up)
    }

    @Test func serverClassDowngradeSplitsHardwareEntries() throws {
        let stored = try ResourceValidator.validate(Fixtures.resource("serverclass-v1alpha2"))
        let down = try ResourceConversion.convert(stored, toAPIVersion: "metal.sidero.dev/v1alpha1")
        let qualifiers = try #require(down.spec?["qualifiers"])
        #expect(qualifiers["systemInformation"] == [["manufacturer": "Dell Inc."]])
        #expect(qualifiers["cpu"] == [
            ["manufacturer": "Advanced Micro Devices, Inc.", "version": "AMD Ryzen 7 2700X Eight-Core Processor"],
            ["manufacturer": "Intel(R) Corporation", "version": "Intel(R) Atom(TM) CPU C3558 @ 2.20GHz"],
        ])
        #expect(qualifiers["hardware"] == nil)
        #expect(qualifiers["labelSelectors"] == stored.spec?["qualifiers"]?["labelSelectors"])
    }

    @Test func environmentChangesOnlyApiVersion() throws {
        let legacy = try Fixtures.resource("environment-v1alpha1")
        let up = try ResourceConversion.convert(legacy, toAPIVersion: "metal.sidero.dev/v1alpha2")
        #expect(up.apiVersion == "metal.sidero.dev/v1alpha2")
        #expect(up.body == legacy.body)
        #expect(try ResourceConversion.convert(up, toAPIVersion: "metal.sidero.dev/v1alpha1") == legacy)
    }

    @Test func unknownVersionsAreRefused() throws {
        let legacy = try Fixtures.resource("environment-v1alpha1")
        #expect(throws: ResourceError.unknownKind(apiVersion: "metal.sidero.dev/v1alpha9", kind: "Environment")) {
            try ResourceConversion.convert(legacy, toAPIVersion: "metal.sidero.dev/v1alpha9")
        }
    }

    @Test func validatorStoresV1alpha1AsV1alpha2() throws {
        let stored = try ResourceValidator.validate(Fixtures.resource("server-v1alpha1"))
        #expect(stored.apiVersion == "metal.sidero.dev/v1alpha2")
        #expect(stored.spec?["hardware"]?["system"]?["productName"] == "PowerEdge R640")
    }
}
