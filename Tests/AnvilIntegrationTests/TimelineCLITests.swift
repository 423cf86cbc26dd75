import AnvilResources
import AnvilStore
import Foundation
import Testing

/// `anvil timeline SERVER`: one server's steps from the store, as a table and as JSON.
@Suite struct TimelineCLITests {
    static let uuid = "4c4c4544-0039-3010-8048-b7c04f4d3232"

    /// A clock the test moves by hand, so the table's times and durations are known.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_795_611_600)  // 2026-11-25T13:00:00Z
        var now: Date { lock.withLock { current } }
        func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    @Test func tableAndJSON() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let clock = Clock()
        let store = try await Store.open(
            stateDirectory: state.url, validate: ResourceValidator.validate, options: StoreOptions(clock: { clock.now }))
        var server = Server(metadata: ObjectMeta(name: Self.uuid))
        server.spec.accepted = true
        server.status.addresses = [NodeAddress(type: "InternalIP", address: "10.0.0.5")]
        _ = try await store.seed(server.resource)
        let subject = InvolvedObject(kind: "Server", name: Self.uuid)
        func record(_ object: InvolvedObject, _ type: EventType, _ reason: String, _ message: String, _ source: String) async throws {
            try await store.recordEvent(involved: object, type: type, reason: reason, message: message, source: source)
        }
        try await record(subject, .normal, "BootDeviceSet", "next boot from pxe (uefi, once) via ipmi", "bmcd")
        clock.advance(0.85)
        try await record(subject, .normal, "PowerOn", "on via ipmi", "bmcd")
        clock.advance(12.3)
        try await record(InvolvedObject(kind: "TFTPClient", name: "10.0.0.5"), .normal, "BootFileFetched", "fetched ipxe.efi (1024 bytes) over TFTP", "tftpd")
        try await record(InvolvedObject(kind: "TFTPClient", name: "10.0.0.77"), .normal, "BootFileFetched", "another machine's fetch", "tftpd")
        clock.advance(245)
        try await record(subject, .normal, "BootAgent", "served the agent environment agent: not clean (from 10.0.0.5)", "bootd")
        clock.advance(1)
        try await record(subject, .warning, "PowerCommandFailed", "power.on: unreachable", "bmcd")
        clock.advance(4)
        try await record(subject, .warning, "PowerCommandFailed", "power.on: unreachable", "bmcd")
        try await record(InvolvedObject(kind: "Server", name: "4c4c4544-0039-3010-8048-000000000000"), .normal, "Registered", "someone else", "metadatad")

        let table = try await anvil.ok("timeline", Self.uuid)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 7, "\(table)")
        let header = try #require(lines.first)
        #expect(header.hasPrefix("TIME"))
        var at = header.startIndex
        for column in ["TIME", "+STEP", "ELAPSED", "SOURCE", "TYPE", "STEP", "MESSAGE"] {
            let found = try #require(header.range(of: column, range: at..<header.endIndex), "\(column) in \(header)")
            at = found.upperBound
        }
        #expect(lines[1].hasPrefix("2026-11-25T13:00:00.000Z"), "milliseconds: the store has them")
        #expect(lines[1].contains(" - ") && lines[1].contains("BootDeviceSet") && lines[1].contains("bmcd"))
        #expect(lines[2].contains("+850ms") && lines[2].contains("PowerOn"), "\(lines[2])")
        #expect(lines[3].contains("+12.3s") && lines[3].contains("13.1s") && lines[3].contains("tftp client 10.0.0.5: fetched ipxe.efi"), "\(lines[3])")
        #expect(lines[4].contains("+4m05s") && lines[4].contains("BootAgent"), "\(lines[4])")
        #expect(lines[5].contains("Warning") && lines[5].contains("PowerCommandFailed") && lines[5].contains("[×2 until 2026-11-25T13:04:23.150Z]"), "\(lines[5])")
        #expect(lines[6].contains("+4.0s") && lines[6].contains("[last of 2, first at"), "\(lines[6])")
        #expect(!table.contains("another machine") && !table.contains("someone else"))

        // Upper-case UUIDs (as some firmware prints them) find the same server.
        #expect(try await anvil.ok("timeline", Self.uuid.uppercased()) == table)

        let json = try await anvil.ok("timeline", Self.uuid, "-o", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["server"] as? String == Self.uuid)
        #expect(object["addresses"] as? [String] == ["10.0.0.5"])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.map { $0["reason"] as? String } == ["BootDeviceSet", "PowerOn", "BootFileFetched", "BootAgent", "PowerCommandFailed", "PowerCommandFailed"])
        #expect(steps[0]["sincePreviousSeconds"] is NSNull)
        #expect(steps[0]["time"] as? String == "2026-11-25T13:00:00.000Z")
        #expect(steps[1]["sincePreviousSeconds"] as? Double == 0.85, "seconds to the millisecond")
        #expect(steps[2]["source"] as? String == "tftpd")
        #expect((steps[2]["object"] as? [String: Any])?["kind"] as? String == "TFTPClient")
        #expect(steps[4]["type"] as? String == "Warning")
        #expect(steps[4]["count"] as? Int == 2)
        #expect(steps[5]["repeat"] as? Bool == true)
        #expect(steps[5]["lastTimestamp"] as? String == "2026-11-25T13:04:23.150Z")
    }

    @Test func unknownServerAndNoEvents() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let missing = try await anvil.run("timeline", "00000000-0000-4000-8000-00000000dead")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: servers \"00000000-0000-4000-8000-00000000dead\" not found\n")
        #expect(missing.stdout.isEmpty)
        #expect(try await anvil.run("timeline", "00000000-0000-4000-8000-00000000dead", "-o", "json").status == 1)

        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        _ = try await store.seed(Server(metadata: ObjectMeta(name: Self.uuid)).resource)
        let quiet = try await anvil.run("timeline", Self.uuid)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        #expect(quiet.stderr == "No events recorded for server \(Self.uuid).\n")
        let empty = try await anvil.ok("timeline", Self.uuid, "-o", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? [String: Any])
        #expect((object["steps"] as? [Any])?.isEmpty == true)

        let describe = try await anvil.ok("describe", "server", Self.uuid)
        #expect(describe.contains("anvil timeline \(Self.uuid)"))
        let bad = try await anvil.run("timeline", Self.uuid, "-o", "yaml")
        #expect(bad.status != 0)
    }
}
