import AnvilJSON
import AnvilResources
import Foundation

/// One server's boot story, oldest first (`anvil timeline`): every event Anvil recorded about the
/// Server, its ServerBinding, the MetalMachine it is (or was) bound to, and the TFTP clients at
/// its addresses, each step with the time since the previous one and since the first.
///
/// Pure: ``build(server:binding:events:)`` takes any superset of events and keeps the related
/// ones, so it is tested without a store; ``Store/serverTimeline(name:)`` gathers its inputs.
///
/// TFTP attribution is by address only: tftpd records its events on `TFTPClient/<client IP>`,
/// and knows no UUID. The addresses are the Server's `status.addresses`, the IPv4 addresses of
/// its inventory's interfaces, and the addresses bootd saw it ask `/ipxe` from. A DHCP server
/// may hand the machine another address on another boot, and an address may have belonged to
/// another machine before, so a TFTP step is "a fetch from an address this server used".
public struct ServerTimeline: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        /// When this step happened: the event's first time, or for ``isRepeat`` its last.
        public var time: Date
        /// Since the previous step; nil for the first.
        public var sincePrevious: TimeInterval?
        /// Since the first step.
        public var elapsed: TimeInterval
        /// The component that recorded it ("bmcd", "reconciler/server", "tftpd", …).
        public var source: String
        /// The event's reason.
        public var reason: String
        public var type: EventType
        public var message: String
        /// The object the event is recorded on (the Server, `TFTPClient/<ip>`, the MetalMachine, …).
        public var object: InvolvedObject
        /// How many identical events the store folded into this one.
        public var count: Int
        public var firstTimestamp: Date
        public var lastTimestamp: Date
        /// The last of ``count`` folded occurrences, shown again at its own time so the timeline's
        /// end says what happened last (the first occurrence is a step at ``firstTimestamp``).
        public var isRepeat: Bool
        /// The store's event id (orders events recorded in the same instant).
        public var eventID: Int64
    }

    /// The Server's name (its SMBIOS UUID).
    public var server: String
    /// The client addresses whose TFTP events were attributed to this server.
    public var addresses: [String]
    public var steps: [Step]

    public init(server: String, addresses: [String], steps: [Step]) {
        self.server = server
        self.addresses = addresses
        self.steps = steps
    }

    /// The kind tftpd records its events on, named by the client's IP.
    public static let tftpClientKind = "TFTPClient"

    /// The timeline of `server` from `events` (any superset: unrelated events are left out).
    public static func build(server: Server, binding: ServerBinding?, events: [Event]) -> ServerTimeline {
        let name = server.metadata.name
        let addresses = addresses(of: server, events: events)
        let clients = clientNames(for: addresses)
        let machine = binding.flatMap(boundMachine)
        let related = events.filter { event in
            let object = event.involved
            switch object.kind {
            case ResourceKinds.server.kind, ResourceKinds.serverBinding.kind:
                return object.name == name
            case ResourceKinds.metalMachine.kind:
                if let machine, object.namespace == machine.namespace, object.name == machine.name { return true }
                // Allocated/Released name the server; the binding is gone once released.
                return event.message.contains(name)
            case tftpClientKind:
                return clients.contains(object.name)
            default:
                return false
            }
        }
        var steps: [Step] = []
        for event in related {
            let step = Step(
                time: event.firstTimestamp, sincePrevious: nil, elapsed: 0, source: event.source, reason: event.reason,
                type: event.type, message: event.message, object: event.involved, count: event.count,
                firstTimestamp: event.firstTimestamp, lastTimestamp: event.lastTimestamp, isRepeat: false, eventID: event.id)
            steps.append(step)
            if event.count > 1, event.lastTimestamp > event.firstTimestamp {
                var last = step
                last.time = event.lastTimestamp
                last.isRepeat = true
                steps.append(last)
            }
        }
        steps.sort { a, b in
            if a.time != b.time { return a.time < b.time }
            if a.eventID != b.eventID { return a.eventID < b.eventID }
            return !a.isRepeat && b.isRepeat
        }
        if let start = steps.first?.time {
            var previous: Date?
            for index in steps.indices {
                let time = steps[index].time
                steps[index].elapsed = time.timeIntervalSince(start)
                steps[index].sincePrevious = previous.map { time.timeIntervalSince($0) }
                previous = time
            }
        }
        return ServerTimeline(server: name, addresses: addresses, steps: steps)
    }

    /// The MetalMachine a binding names (namespace defaults to "default").
    static func boundMachine(_ binding: ServerBinding) -> (namespace: String, name: String)? {
        guard let name = binding.spec.metalMachineRef.name, !name.isEmpty else { return nil }
        let namespace = binding.spec.metalMachineRef.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return (namespace, name)
    }

    /// The objects whose events belong to the timeline, apart from TFTP clients and MetalMachines
    /// that name the server (for a store query).
    public static func relatedObjects(server: String, binding: ServerBinding?) -> [InvolvedObject] {
        var objects = [
            InvolvedObject(kind: ResourceKinds.server.kind, name: server),
            InvolvedObject(kind: ResourceKinds.serverBinding.kind, name: server),
        ]
        if let binding, let machine = boundMachine(binding) {
            objects.append(InvolvedObject(kind: ResourceKinds.metalMachine.kind, namespace: machine.namespace, name: machine.name))
        }
        return objects
    }

    /// The server's addresses, in order, without duplicates: `status.addresses`, the IPv4
    /// addresses of its inventory's interfaces (CIDR strings, prefix dropped), then the addresses
    /// bootd recorded it asking `/ipxe` from ("… (from 10.0.0.5)" on the Server's bootd events).
    public static func addresses(of server: Server, events: [Event]) -> [String] {
        var found: [String] = []
        func add(_ address: String) {
            let trimmed = address.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, !found.contains(trimmed) { found.append(trimmed) }
        }
        for address in server.status.addresses ?? [] where isIPAddress(address.address) {
            add(address.address)
        }
        for interface in server.spec.hardware?.network?.interfaces ?? [] {
            for cidr in interface.addresses ?? [] {
                let address = String(cidr.split(separator: "/", maxSplits: 1).first ?? "")
                if isIPv4(address) { add(address) }
            }
        }
        for event in events
        where event.involved.kind == ResourceKinds.server.kind && event.involved.name == server.metadata.name
            && event.source.hasPrefix("bootd")
        {
            if let address = requestAddress(in: event.message) { add(address) }
        }
        return found
    }

    /// The `TFTPClient` names an address may appear as: itself, and an IPv4 address also as
    /// IPv4-mapped IPv6 (a dual-stack socket's view) and the reverse.
    static func clientNames(for addresses: [String]) -> Set<String> {
        var names = Set<String>()
        for address in addresses {
            names.insert(address)
            if isIPv4(address) { names.insert("::ffff:" + address) }
            if address.lowercased().hasPrefix("::ffff:"), isIPv4(String(address.dropFirst(7))) { names.insert(String(address.dropFirst(7))) }
        }
        return names
    }

    /// The address in bootd's "… (from 10.0.0.5)" or "… (mac …, from 10.0.0.5)" suffix.
    static func requestAddress(in message: String) -> String? {
        guard let range = message.range(of: "from ", options: .backwards) else { return nil }
        let candidate = String(message[range.upperBound...].prefix { $0.isHexDigit || $0 == "." || $0 == ":" })
        return isIPAddress(candidate) ? candidate : nil
    }

    static func isIPAddress(_ text: String) -> Bool {
        isIPv4(text) || (text.contains(":") && !text.isEmpty && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." })
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }
}

// MARK: - Text

extension ServerTimeline {
    /// A duration for people: "850ms", "12.3s", "4m05s", "2h03m", "3d04h".
    public static func duration(_ seconds: TimeInterval) -> String {
        // Whole milliseconds first: a difference of two stored times is off by a few ns.
        let ms = Int((max(0, seconds) * 1000).rounded())
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return "\(ms / 1000).\(ms % 1000 / 100)s" }
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let whole = ms / 1000
        if whole < 3600 { return "\(whole / 60)m\(two(whole % 60))s" }
        if whole < 86400 { return "\(whole / 3600)h\(two(whole % 3600 / 60))m" }
        return "\(whole / 86400)d\(two(whole % 86400 / 3600))h"
    }

    /// RFC 3339 UTC, with milliseconds when `milliseconds` ("2026-11-25T13:00:00.250Z").
    public static func time(_ date: Date, milliseconds: Bool) -> String {
        guard milliseconds else { return Timestamp.rfc3339(date) }
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Timestamp.rfc3339(Date(timeIntervalSince1970: TimeInterval(total / 1000)))
        let millis = Int(total % 1000)
        let padded = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return String(seconds.dropLast()) + ".\(padded)Z"
    }

    /// Whether any step has a fraction of a second: then times are shown to the millisecond.
    public var hasSubsecondTimes: Bool {
        steps.contains { Int64(($0.time.timeIntervalSince1970 * 1000).rounded()) % 1000 != 0 }
    }
}

extension ServerTimeline.Step {
    /// The message as the table shows it: the object first when it is not the Server itself,
    /// and the fold ("×3 until …" on the first occurrence, "last of 3, first at …" on the repeat).
    public func displayMessage(milliseconds: Bool) -> String {
        var text = message
        switch object.kind {
        case ResourceKinds.server.kind: break
        case ServerTimeline.tftpClientKind: text = "tftp client \(object.name): " + text
        default:
            let path = object.namespace.isEmpty ? "\(object.kind)/\(object.name)" : "\(object.kind) \(object.namespace)/\(object.name)"
            text = "\(path): " + text
        }
        if isRepeat {
            text += " [last of \(count), first at \(ServerTimeline.time(firstTimestamp, milliseconds: milliseconds))]"
        } else if count > 1 {
            text += lastTimestamp > firstTimestamp
                ? " [×\(count) until \(ServerTimeline.time(lastTimestamp, milliseconds: milliseconds))]" : " [×\(count)]"
        }
        return text
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "time": .string(ServerTimeline.time(time, milliseconds: true)),
            "elapsedSeconds": .double(Self.milliseconds(elapsed)),
            "source": .string(source),
            "reason": .string(reason),
            "type": .string(type.rawValue),
            "message": .string(message),
            "object": .object([
                "kind": .string(self.object.kind), "namespace": .string(self.object.namespace), "name": .string(self.object.name),
            ]),
            "count": .int(Int64(count)),
            "firstTimestamp": .string(ServerTimeline.time(firstTimestamp, milliseconds: true)),
            "lastTimestamp": .string(ServerTimeline.time(lastTimestamp, milliseconds: true)),
            "repeat": .bool(isRepeat),
        ]
        object["sincePreviousSeconds"] = sincePrevious.map { .double(Self.milliseconds($0)) } ?? .null
        return .object(object)
    }

    /// Seconds rounded to the millisecond (a difference of two stored times is off by a few ns).
    static func milliseconds(_ seconds: TimeInterval) -> Double {
        (seconds * 1000).rounded() / 1000
    }
}

extension ServerTimeline {
    public var json: JSONValue {
        .object([
            "server": .string(server),
            "addresses": .array(addresses.map { .string($0) }),
            "steps": .array(steps.map(\.json)),
        ])
    }
}

// MARK: - Store

extension Store {
    /// The timeline of Server `name`, or nil when there is no such Server. The Server and its
    /// binding come from one snapshot; then the events of the related objects.
    public func serverTimeline(name: String) async throws -> ServerTimeline? {
        let (found, binding) = try await snapshot { snapshot in
            (try snapshot.find(kind: ResourceKinds.server.kind, name: name).map(Server.init),
             try snapshot.find(kind: ResourceKinds.serverBinding.kind, name: name).map(ServerBinding.init))
        }
        guard let server = found else { return nil }
        var events: [Event] = []
        for object in ServerTimeline.relatedObjects(server: name, binding: binding) {
            events += try await self.events(kind: object.kind, namespace: object.namespace, name: object.name)
        }
        // A released machine's events name the server; its binding (and so the reference) is gone.
        let bound = binding.flatMap(ServerTimeline.boundMachine)
        events += try await self.events(kind: ResourceKinds.metalMachine.kind).filter { event in
            event.message.contains(name) && !(event.involved.namespace == bound?.namespace && event.involved.name == bound?.name)
        }
        let addresses = ServerTimeline.addresses(of: server, events: events)
        for client in ServerTimeline.clientNames(for: addresses).sorted() {
            events += try await self.events(kind: ServerTimeline.tftpClientKind, name: client)
        }
        return ServerTimeline.build(server: server, binding: binding, events: events)
    }
}
