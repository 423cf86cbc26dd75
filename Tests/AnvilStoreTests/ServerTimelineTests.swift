import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct ServerTimelineTests {
    static let uuid = "4c4c4544-0039-3010-8048-b7c04f4d3232"
    static let other = "4c4c4544-0039-3010-8048-b7c04f4d9999"
    static let start = Date(timeIntervalSince1970: 1_795_611_600)  // 2026-11-25T13:00:00Z

    static func server(addresses: [String] = [], interfaceAddresses: [String] = []) -> Server {
        var server = Server(metadata: ObjectMeta(name: uuid))
        server.status.addresses = addresses.map { NodeAddress(type: "InternalIP", address: $0) }
        if !interfaceAddresses.isEmpty {
            server.spec.hardware = HardwareInformation(
                network: NetworkInformation(interfaces: [NetworkInterface(name: "eth0", addresses: interfaceAddresses)]))
        }
        return server
    }

    static func event(
        _ id: Int64, _ kind: String, _ name: String, at seconds: TimeInterval, _ reason: String, message: String = "m",
        source: String = "test", type: EventType = .normal, namespace: String = "", count: Int = 1, until last: TimeInterval? = nil
    ) -> Event {
        Event(
            id: id, involved: InvolvedObject(kind: kind, namespace: namespace, name: name), type: type, reason: reason,
            message: message, source: source, count: count, firstTimestamp: start + seconds, lastTimestamp: start + (last ?? seconds))
    }

    /// Equal to a microsecond (times are stored as seconds since 1970 in a Double).
    static func close(_ a: [TimeInterval], _ b: [TimeInterval]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    @Test func stepsAreOrderedWithDurations() {
        let events = [
            Self.event(3, "Server", Self.uuid, at: 12.3, "Registered", source: "metadatad"),
            Self.event(1, "Server", Self.uuid, at: 0, "BootDeviceSet", source: "bmcd"),
            Self.event(2, "Server", Self.uuid, at: 0.85, "PowerOn", source: "bmcd"),
            Self.event(4, "Server", Self.uuid, at: 12.3 + 245, "Wiped", source: "metadatad"),
        ]
        let timeline = ServerTimeline.build(server: Self.server(), binding: nil, events: events)
        #expect(timeline.steps.map(\.reason) == ["BootDeviceSet", "PowerOn", "Registered", "Wiped"])
        #expect(timeline.steps[0].sincePrevious == nil)
        #expect(Self.close(timeline.steps.dropFirst().compactMap(\.sincePrevious), [0.85, 12.3 - 0.85, 245]))
        #expect(Self.close(timeline.steps.map(\.elapsed), [0, 0.85, 12.3, 257.3]))
        #expect(timeline.steps[0].source == "bmcd")
        #expect(timeline.hasSubsecondTimes)
    }

    @Test func sameInstantKeepsRecordingOrder() {
        let events = [
            Self.event(8, "Server", Self.uuid, at: 5, "PowerOn"),
            Self.event(7, "Server", Self.uuid, at: 5, "BootDeviceSet"),
        ]
        let timeline = ServerTimeline.build(server: Self.server(), binding: nil, events: events)
        #expect(timeline.steps.map(\.reason) == ["BootDeviceSet", "PowerOn"])
        #expect(timeline.steps[1].sincePrevious == 0)
    }

    /// A folded event is a step at its first time with its count, and again at its last time.
    @Test func foldedEventsShowTheirCountAndLastOccurrence() {
        let events = [
            Self.event(1, "Server", Self.uuid, at: 0, "BootAgent", message: "served the agent", count: 3, until: 600),
            Self.event(2, "Server", Self.uuid, at: 60, "Registered"),
            Self.event(3, "Server", Self.uuid, at: 90, "WipeProgress", message: "wipe 40%", count: 2),
        ]
        let timeline = ServerTimeline.build(server: Self.server(), binding: nil, events: events)
        #expect(timeline.steps.map(\.reason) == ["BootAgent", "Registered", "WipeProgress", "BootAgent"])
        #expect(timeline.steps.map(\.isRepeat) == [false, false, false, true])
        #expect(timeline.steps.map(\.count) == [3, 1, 2, 3])
        #expect(timeline.steps[3].sincePrevious == 510)
        #expect(timeline.steps[3].elapsed == 600)
        #expect(timeline.steps[0].displayMessage(milliseconds: false) == "served the agent [×3 until 2026-11-25T13:10:00Z]")
        #expect(timeline.steps[2].displayMessage(milliseconds: false) == "wipe 40% [×2]")
        #expect(timeline.steps[3].displayMessage(milliseconds: false) == "served the agent [last of 3, first at 2026-11-25T13:00:00Z]")
        #expect(!timeline.hasSubsecondTimes)
    }

    @Test func tftpFetchesAreAttributedByAddress() {
        let server = Self.server(addresses: ["10.0.0.5"], interfaceAddresses: ["10.0.1.5/24", "fe80::1/64"])
        let events = [
            Self.event(1, "TFTPClient", "10.0.0.5", at: 0, "BootFileFetched", message: "fetched ipxe.efi", source: "tftpd"),
            Self.event(2, "TFTPClient", "10.0.1.5", at: 1, "BootFileFetched", source: "tftpd"),
            Self.event(3, "TFTPClient", "::ffff:10.0.0.5", at: 2, "BootFileFetched", source: "tftpd"),
            Self.event(4, "TFTPClient", "10.0.0.6", at: 3, "BootFileFetched", source: "tftpd"),
            // The address bootd saw the server ask /ipxe from counts too.
            Self.event(5, "Server", Self.uuid, at: 4, "BootAgent", message: "served the agent environment agent: not clean (mac 52:54:00:12:34:56, from 10.0.2.9)", source: "bootd"),
            Self.event(6, "TFTPClient", "10.0.2.9", at: 5, "BootFileFailed", source: "tftpd", type: .warning),
            Self.event(7, "TFTPClient", "fe80::1", at: 6, "BootFileFetched", source: "tftpd"),
        ]
        let timeline = ServerTimeline.build(server: server, binding: nil, events: events)
        #expect(timeline.addresses == ["10.0.0.5", "10.0.1.5", "10.0.2.9"])
        #expect(timeline.steps.map(\.eventID) == [1, 2, 3, 5, 6])
        #expect(timeline.steps[0].displayMessage(milliseconds: false) == "tftp client 10.0.0.5: fetched ipxe.efi")
        #expect(timeline.steps[4].type == .warning)
    }

    @Test func unrelatedEventsAreExcluded() {
        var binding = ServerBinding(
            metadata: ObjectMeta(name: Self.uuid),
            spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m-0")))
        binding.status.ready = true
        let events = [
            Self.event(1, "Server", Self.other, at: 0, "Registered"),
            Self.event(2, "Server", Self.uuid, at: 1, "Registered"),
            Self.event(3, "ServerBinding", Self.uuid, at: 2, "ServerNotFound"),
            Self.event(4, "ServerBinding", Self.other, at: 2, "ServerNotFound"),
            Self.event(5, "MetalMachine", "m-0", at: 3, "Allocated", message: "Server \(Self.uuid) allocated via serverclass any", namespace: "default"),
            Self.event(6, "MetalMachine", "m-1", at: 4, "Allocated", message: "Server \(Self.other) allocated via serverclass any", namespace: "default"),
            Self.event(7, "MetalMachine", "m-0", at: 5, "Ready", namespace: "default"),
            // A machine it was bound to before: its events name the server.
            Self.event(8, "MetalMachine", "old", at: 0.5, "Released", message: "Server \(Self.uuid) released", namespace: "default"),
            Self.event(9, "Environment", "agent", at: 6, "AssetReady"),
            Self.event(10, "TFTPClient", "10.9.9.9", at: 7, "BootFileFetched"),
        ]
        let timeline = ServerTimeline.build(server: Self.server(), binding: binding, events: events)
        #expect(timeline.steps.map(\.eventID) == [8, 2, 3, 5, 7])
        #expect(timeline.steps[0].displayMessage(milliseconds: false) == "MetalMachine default/old: Server \(Self.uuid) released")
        #expect(ServerTimeline.build(server: Self.server(), binding: nil, events: events).steps.map(\.eventID) == [8, 2, 3, 5])
    }

    @Test func noEventsIsAnEmptyTimeline() {
        let timeline = ServerTimeline.build(server: Self.server(), binding: nil, events: [Self.event(1, "Server", Self.other, at: 0, "Registered")])
        #expect(timeline.steps.isEmpty)
        #expect(timeline.json["steps"] == .array([]))
    }

    @Test func durationsForPeople() {
        #expect(ServerTimeline.duration(0) == "0ms")
        #expect(ServerTimeline.duration(0.85) == "850ms")
        #expect(ServerTimeline.duration(12.34) == "12.3s")
        #expect(ServerTimeline.duration(59.99) == "59.9s")
        #expect(ServerTimeline.duration(245) == "4m05s")
        #expect(ServerTimeline.duration(3600 * 2 + 180) == "2h03m")
        #expect(ServerTimeline.duration(86400 * 3 + 3600 * 4) == "3d04h")
        #expect(ServerTimeline.time(Self.start + 0.25, milliseconds: true) == "2026-11-25T13:00:00.250Z")
        #expect(ServerTimeline.time(Self.start + 0.25, milliseconds: false) == "2026-11-25T13:00:00Z")
    }

    @Test func jsonCarriesEveryField() throws {
        let events = [
            Self.event(1, "Server", Self.uuid, at: 0, "PowerOn", message: "on via ipmi", source: "bmcd"),
            Self.event(2, "Server", Self.uuid, at: 2.5, "Stalled", source: "reconciler/server", type: .warning, count: 2, until: 4),
        ]
        let json = ServerTimeline.build(server: Self.server(), binding: nil, events: events).json
        #expect(json["server"] == .string(Self.uuid))
        guard case .array(let steps)? = json["steps"] else { Issue.record("no steps"); return }
        #expect(steps.count == 3)
        #expect(steps[0]["time"] == .string("2026-11-25T13:00:00.000Z"))
        #expect(steps[0]["sincePreviousSeconds"] == .null)
        #expect(steps[1]["sincePreviousSeconds"] == .double(2.5))
        #expect(steps[1]["type"] == .string("Warning"))
        #expect(steps[1]["count"] == .int(2))
        #expect(steps[2]["repeat"] == .bool(true))
        #expect(steps[2]["elapsedSeconds"] == .double(4))
        #expect(steps[0]["source"] == .string("bmcd"))
    }

    /// Through the store: the folded rows it keeps, the bound machine, the TFTP client.
    @Test(arguments: StoreTestBackend.allCases) func fromTheStore(_ backend: StoreTestBackend) async throws {
        let clock = TestClock(Self.start)
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            #expect(try await store.serverTimeline(name: Self.uuid) == nil)
            _ = try await store.seed(Self.server(addresses: ["10.0.0.5"]).resource)
            #expect(try await store.serverTimeline(name: Self.uuid)?.steps.isEmpty == true)
            let server = InvolvedObject(kind: "Server", name: Self.uuid)
            try await store.recordEvent(
                involved: InvolvedObject(kind: "TFTPClient", name: "10.0.0.5"), type: .normal, reason: "BootFileFetched",
                message: "fetched ipxe.efi (1024 bytes) over TFTP", source: "tftpd")
            clock.advance(by: 1.5)
            try await store.recordEvent(involved: server, type: .normal, reason: "BootAgent", message: "served the agent", source: "bootd")
            clock.advance(by: 30)
            try await store.recordEvent(involved: server, type: .normal, reason: "Registered", message: "registered", source: "metadatad")
            clock.advance(by: 30)
            try await store.recordEvent(involved: server, type: .normal, reason: "BootAgent", message: "served the agent", source: "bootd")
            try await store.recordEvent(
                involved: InvolvedObject(kind: "TFTPClient", name: "10.0.0.99"), type: .normal, reason: "BootFileFetched",
                message: "fetched ipxe.efi", source: "tftpd")
            _ = try await store.seed(ServerBinding(
                metadata: ObjectMeta(name: Self.uuid),
                spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m-0"))).resource)
            try await store.recordEvent(
                involved: InvolvedObject(kind: "MetalMachine", namespace: "default", name: "m-0"), type: .normal, reason: "Allocated",
                message: "Server \(Self.uuid) allocated via serverclass any", source: "reconciler/metal-machine")
            let timeline = try #require(try await store.serverTimeline(name: Self.uuid))
            #expect(timeline.steps.map(\.reason) == ["BootFileFetched", "BootAgent", "Registered", "BootAgent", "Allocated"])
            #expect(timeline.steps.map(\.isRepeat) == [false, false, false, true, false])
            #expect(timeline.steps.map(\.elapsed) == [0, 1.5, 31.5, 61.5, 61.5])
            #expect(timeline.steps[1].count == 2)
        }
    }
}
