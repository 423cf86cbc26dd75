import AnvilResources
import Testing
@testable import MetadatadCore

@Suite struct IdentityConflictTests {
    static func hardware(serial: String?, macs: [String]) -> HardwareInformation {
        HardwareInformation(
            system: SystemInformation(serialNumber: serial),
            network: NetworkInformation(interfaces: macs.map { NetworkInterface(mac: $0) }))
    }

    @Test(arguments: [
        // (known serial, known MACs, reported serial, reported MACs, conflict?)
        ("S1", ["52:54:00:00:00:01"], "S1", ["52:54:00:00:00:01"], false),  // the same machine
        ("S1", ["52:54:00:00:00:01"], "S1", ["52:54:00:00:00:02"], false),  // a NIC swapped
        ("S1", ["52:54:00:00:00:01"], "S2", ["52:54:00:00:00:01", "52:54:00:00:00:03"], false),  // a board swapped, the add-in NIC kept
        ("S1", ["52:54:00:00:00:01"], "S2", ["52:54:00:00:00:02"], true),  // another machine
        ("To Be Filled By O.E.M.", ["52:54:00:00:00:01"], "To Be Filled By O.E.M.", ["52:54:00:00:00:02"], true),  // no serial to tell: NICs decide
        ("S1", [], "S2", [], true),  // no NICs to tell: serials decide
        ("S1", [], "S1", ["52:54:00:00:00:02"], false),
    ])
    func conflicts(knownSerial: String, knownMACs: [String], reportedSerial: String, reportedMACs: [String], expected: Bool) {
        let conflict = IdentityConflict.between(
            known: Self.hardware(serial: knownSerial, macs: knownMACs), reported: Self.hardware(serial: reportedSerial, macs: reportedMACs))
        #expect((conflict != nil) == expected, "\(conflict ?? "none")")
    }

    @Test func nothingKnownIsNoConflict() {
        #expect(IdentityConflict.between(known: nil, reported: Self.hardware(serial: "S", macs: ["52:54:00:00:00:01"])) == nil)
    }

    @Test func theMessageNamesBothMachines() throws {
        let message = try #require(IdentityConflict.between(
            known: Self.hardware(serial: "S1", macs: ["52:54:00:00:00:01"]), reported: Self.hardware(serial: "S2", macs: ["52:54:00:00:00:02"])))
        #expect(message.contains("52:54:00:00:00:02") && message.contains("52:54:00:00:00:01") && message.contains("\"S2\"") && message.contains("\"S1\""))
    }
}
