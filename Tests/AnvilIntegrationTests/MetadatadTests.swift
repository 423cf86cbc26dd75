import AnvilBoot
import AnvilResources
import AnvilStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// metadatad as a process: /configdata through the binding chain with class and server patches,
/// machine tokens, and every agent API operation.
@Suite struct MetadatadTests {
    static let uuid = "4c4c4544-0000-1000-8000-0000000000b2"
    static let config = """
        version: v1alpha1
        machine:
          type: worker
          install:
            disk: /dev/sda
          kubelet:
            extraArgs:
              node-labels: rack=r1
        cluster:
          clusterName: demo

        """

    /// The token bootd would hand a client on 127.0.0.1: for an install boot (`/configdata`), the
    /// server's boot attempt's; for the agent, any nonce.
    func token(_ daemon: HTTPDaemon, install: Bool = true, uuid: String = Self.uuid) async throws -> String {
        let key = try MachineTokenKey.loadOrCreate(stateDirectory: daemon.state.url)
        guard install else { return key.attemptToken(uuid: uuid, address: "127.0.0.1", issuedAt: Date(), nonce: 7).text }
        switch try await daemon.store.startBootAttempt(uuid: uuid, address: "127.0.0.1", mac: nil, window: .seconds(600)) {
        case .started(let attempt), .resumed(let attempt), .conflict(let attempt):
            return key.attemptToken(uuid: uuid, address: "127.0.0.1", issuedAt: attempt.issuedAt, nonce: UInt32(attempt.nonce, radix: 16) ?? 0).text
        }
    }

    /// Server + class with patches, MetalMachine, bootstrap Secret and the binding.
    func allocate(_ daemon: HTTPDaemon, classPatches: [ConfigPatch], serverPatches: [ConfigPatch]) async throws {
        var serverClass = ServerClass(metadata: ObjectMeta(name: "workers"))
        serverClass.spec.configPatches = classPatches
        _ = try await daemon.store.seed(serverClass.resource)
        var server = Server(metadata: ObjectMeta(name: Self.uuid))
        server.spec.accepted = true
        server.spec.configPatches = serverPatches
        _ = try await daemon.store.seed(server.resource)
        _ = try await daemon.store.seed(Secret(
            metadata: ObjectMeta(name: "m1-bootstrap", namespace: "default"), values: ["value": Data(Self.config.utf8)]).resource)
        var machine = MetalMachine(metadata: ObjectMeta(name: "m1", namespace: "default"))
        machine.spec.bootstrap = MachineBootstrap(dataSecretName: "m1-bootstrap")
        _ = try await daemon.store.seed(machine.resource)
        _ = try await daemon.store.seed(ServerBinding(
            metadata: ObjectMeta(name: Self.uuid),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"),
                serverClassRef: ObjectReference(kind: "ServerClass", name: "workers"))).resource)
    }

    @Test func configDataFollowsTheBindingAndAppliesClassThenServerPatches() async throws {
        let daemon = try await HTTPDaemon("metadatad")
        let token = try await token(daemon)
        let url = "\(daemon.baseURL)/configdata?token=\(token)&uuid=\(Self.uuid)"
        let unbound = try await HTTPGet.fetch(url)
        #expect(unbound.status == 404)
        #expect(unbound.body == "server \(Self.uuid) is not allocated (no ServerBinding)\n")

        try await allocate(
            daemon,
            classPatches: [
                ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/vda"),
                ConfigPatch(op: .add, path: "/machine/network", value: ["hostname": "from-class"]),
            ],
            serverPatches: [ConfigPatch(op: .replace, path: "/machine/network/hostname", value: "from-server")])
        let served = try await HTTPGet.fetch(url)
        #expect(served.status == 200, "\(served.body)")
        let document = try #require(try YAMLText.documents(served.body).first ?? nil)
        #expect(document["machine"]?["install"]?["disk"] == "/dev/vda")
        #expect(document["machine"]?["network"]?["hostname"] == "from-server")
        #expect(document["machine"]?["kubelet"]?["extraArgs"]?["node-labels"] == .string("rack=r1,metal.sidero.dev/uuid=\(Self.uuid)"))
        #expect(document["cluster"]?["clusterName"] == "demo")
        try await daemon.stop()
    }

    @Test func aFailingPatchIsA500NamingIt() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false"])
        try await allocate(daemon, classPatches: [], serverPatches: [ConfigPatch(op: .remove, path: "/machine/missing")])
        let failed = try await HTTPGet.fetch("\(daemon.baseURL)/configdata?uuid=\(Self.uuid)")
        #expect(failed.status == 500)
        #expect(failed.body.contains("/machine/missing"), "\(failed.body)")
        #expect(failed.body.contains(Self.uuid))
        try await daemon.stop()
    }

    /// Without machine tokens every config served is a ConfigFetched event (folded with a count).
    @Test func configServedWithoutTokensIsOnTheTimeline() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false"])
        try await allocate(daemon, classPatches: [], serverPatches: [])
        #expect(try await HTTPGet.fetch("\(daemon.baseURL)/configdata?uuid=\(Self.uuid)").status == 200)
        #expect(try await HTTPGet.fetch("\(daemon.baseURL)/configdata?uuid=\(Self.uuid)").status == 200)
        let fetched = try await serverEvents(daemon) { events in
            events.filter { $0.reason == "ConfigFetched" }.map(\.count).reduce(0, +) == 2
        }.filter { $0.reason == "ConfigFetched" }
        #expect(fetched.map(\.count) == [2], "\(fetched)")
        #expect(fetched.first?.message == "config data served to 127.0.0.1 (no machine token required)")
        #expect(fetched.first?.type == .normal)
        try await daemon.stop()
    }

    @Test func tokensAreRequiredAndCheckedUnlessTurnedOff() async throws {
        let daemon = try await HTTPDaemon("metadatad")
        try await allocate(daemon, classPatches: [], serverPatches: [])
        let missing = try await HTTPGet.fetch("\(daemon.baseURL)/configdata?uuid=\(Self.uuid)")
        #expect(missing.status == 403)
        #expect(missing.body.contains("machine token required"))
        let other = try await token(daemon, uuid: "4c4c4544-0000-1000-8000-0000000000ff")
        let wrong = try await HTTPGet.fetch("\(daemon.baseURL)/configdata?token=\(other)&uuid=\(Self.uuid)")
        #expect(wrong.status == 403)
        #expect(wrong.body.contains("not issued to this server at this address"), "\(wrong.body)")
        let agentToken = try await token(daemon, install: false)
        let notAnAttempt = try await HTTPGet.fetch("\(daemon.baseURL)/configdata?token=\(agentToken)&uuid=\(Self.uuid)")
        #expect(notAnAttempt.status == 403 && notAnAttempt.body.contains("not for the server's current install boot"), "\(notAnAttempt.body)")
        let install = try await token(daemon)
        let bearer = try await HTTPGet.exchange(
            "\(daemon.baseURL)/configdata?uuid=\(Self.uuid)", headers: ["Authorization": "Bearer \(install)"])
        #expect(bearer.status == 200)
        // Once per boot attempt: the second fetch is refused and recorded.
        let again = try await HTTPGet.exchange(
            "\(daemon.baseURL)/configdata?uuid=\(Self.uuid)", headers: ["Authorization": "Bearer \(install)"])
        let againBody = String(decoding: again.body, as: UTF8.self)
        #expect(again.status == 409 && againBody.contains("fetched twice in one boot attempt"), "\(againBody)")
        let events = try await serverEvents(daemon) { events in events.contains { $0.reason == "ConfigFetchedTwice" } }
        #expect(events.map(\.reason).contains("ConfigFetchedTwice"))
        // The first fetch is on the server's timeline; the refused one is not a second ConfigFetched.
        let fetched = events.filter { $0.reason == "ConfigFetched" }
        #expect(fetched.count == 1 && fetched.first?.count == 1, "\(events)")
        #expect(fetched.first?.message == "config data served to 127.0.0.1 (boot attempt's token)")
        #expect(try await HTTPGet.fetch("\(daemon.baseURL)/configdata").status == 400)
        #expect(try await HTTPGet.fetch("\(daemon.baseURL)/configdata?uuid=nope").status == 400)
        try await daemon.stop()
    }

    /// The Server's events once `done` holds for them (the daemon writes events in batches), at most 5 s.
    func serverEvents(_ daemon: HTTPDaemon, until done: ([AnvilStore.Event]) -> Bool) async throws -> [AnvilStore.Event] {
        var events: [AnvilStore.Event] = []
        for _ in 0..<50 {
            events = try await daemon.store.events(kind: "Server", name: Self.uuid)
            if done(events) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return events
    }

    func post(_ daemon: HTTPDaemon, _ path: String, _ body: String, token: String?) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "\(daemon.baseURL)/api/v1/\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Sidero sets up the BMC of accepted servers only; `--bmc-setup-at discovery` asks at once.
    @Test(arguments: [("acceptance", false), ("discovery", true)])
    func aNewServersBMCIsSetUpAtDiscoveryOnlyWhenAsked(moment: String, setsUp: Bool) async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--bmc-setup-at", moment])
        let token = try await token(daemon, install: false)
        let registered = try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)", "hardware": {"system": {"manufacturer": "QEMU"}}}"#, token: token)
        #expect(registered.status == 200, "\(registered.body)")
        let answer = try JSONSerialization.jsonObject(with: Data(registered.body.utf8)) as? [String: Any]
        #expect(answer?["accepted"] as? Bool == false)
        #expect(answer?["wipe"] as? Bool == false)
        #expect(answer?["setupBMC"] as? Bool == setsUp)
    }

    @Test func agentLifecycleThroughTheAPI() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--auto-accept-servers", "true"])
        let token = try await token(daemon, install: false)
        let registration = """
            {"uuid": "\(Self.uuid)", "hostname": "node-1",
             "hardware": {"system": {"manufacturer": "QEMU"}, "compute": {"processorCount": 1}}}
            """
        #expect(try await post(daemon, "register", registration, token: nil).status == 403)
        let registered = try await post(daemon, "register", registration, token: token)
        #expect(registered.status == 200, "\(registered.body)")
        let answer = try JSONSerialization.jsonObject(with: Data(registered.body.utf8)) as? [String: Any]
        #expect(answer?["accepted"] as? Bool == true)
        #expect(answer?["wipe"] as? Bool == true)
        #expect(answer?["setupBMC"] as? Bool == true)
        #expect(answer?["rebootTimeoutSeconds"] as? Double == 1200)
        var server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.spec.hostname == "node-1")
        #expect(server.spec.hardware?.system?.manufacturer == "QEMU")

        // Re-registration refreshes the hardware (Sidero keeps the old one).
        let again = registration.replacingOccurrences(of: "QEMU", with: "Dell")
        #expect(try await post(daemon, "register", again, token: token).status == 200)
        server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.spec.hardware?.system?.manufacturer == "Dell")

        let base = "servers/\(Self.uuid)"
        #expect(try await post(daemon, base + "/addresses", #"{"addresses": [{"type": "InternalIP", "address": "10.0.0.5"}, {"type": "Hostname", "address": "node-1"}]}"#, token: token).status == 200)
        #expect(try await post(daemon, base + "/addresses", #"{"addresses": [{"type": "InternalIP", "address": "10.0.0.6"}]}"#, token: token).status == 200)
        #expect(try await post(daemon, base + "/heartbeat", "{}", token: token).status == 200)
        server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(Set(server.status.addresses ?? []) == [NodeAddress(type: "InternalIP", address: "10.0.0.6"), NodeAddress(type: "Hostname", address: "node-1")])
        #expect(server.status.condition(Server.conditionPowerCycle)?.reason == "InProgress")

        #expect(try await post(daemon, base + "/wiped", "{}", token: token).status == 200)
        #expect(try await post(daemon, base + "/bmc", #"{"ip": "10.0.0.100", "port": 0, "user": "anvil", "pass": "s3cret"}"#, token: token).status == 200)
        #expect(try await post(daemon, base + "/installed", "{}", token: token).status == 200)
        server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.status.isClean)
        #expect(server.status.condition(Server.conditionPowerCycle)?.status == "True")
        #expect(server.status.condition(Server.conditionPXEBooted)?.status == "True")
        #expect(server.spec.bmc?.endpoint == "10.0.0.100")
        #expect(server.spec.bmc?.port == 623)
        #expect(server.spec.bmc?.user == nil)
        #expect(server.spec.bmc?.userFrom?.secretKeyRef == SecretKeyRef(namespace: "default", name: "\(Self.uuid)-bmc", key: "user"))
        let secret = try Secret(try await daemon.store.get(kind: "Secret", namespace: "default", name: "\(Self.uuid)-bmc"))
        #expect(secret.value(forKey: "pass") == Data("s3cret".utf8))

        // Clean now: registering again asks for no wipe.
        let clean = try await post(daemon, "register", registration, token: token)
        #expect(clean.body.contains("\"wipe\":false"))
        try await daemon.stop()
    }

    @Test func badAgentRequestsSayWhatIsWrongAndChangeNothing() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false"])
        let notJSON = try await post(daemon, "register", "{nope", token: nil)
        #expect(notJSON.status == 400)
        #expect(notJSON.body.contains("not JSON"))
        let missing = try await post(daemon, "register", #"{"hostname": "x"}"#, token: nil)
        #expect(missing.status == 400)
        #expect(missing.body.contains("missing field uuid"))
        let wrongType = try await post(daemon, "register", #"{"uuid": 5}"#, token: nil)
        #expect(wrongType.body.contains("field uuid must be"))
        #expect(try await post(daemon, "register", #"{"uuid": "x"}"#, token: nil).body.contains("malformed uuid"))
        let unknown = try await post(daemon, "servers/\(Self.uuid)/wiped", "{}", token: nil)
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("not registered"))
        #expect(try await post(daemon, "servers/\(Self.uuid)/explode", "{}", token: nil).status == 404)
        // A BMC report without an address for a server that has none: refused, no Secret made.
        #expect(try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)"}"#, token: nil).status == 200)
        let noIP = try await post(daemon, "servers/\(Self.uuid)/bmc", #"{"user": "u", "pass": "p"}"#, token: nil)
        #expect(noIP.status == 400)
        #expect(noIP.body.contains("field ip required"))
        #expect(try await daemon.store.find(kind: "Secret", namespace: "default", name: "\(Self.uuid)-bmc") == nil)
        _ = try await daemon.store.delete(kind: "Server", name: Self.uuid)
        #expect(try await daemon.store.list(kind: "Server").isEmpty)
        try await daemon.stop()
    }

    @Test func wipeProgressAndAnUnaddressedBMCAreRecordedWithoutLooping() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false", "--auto-accept-servers", "true"])
        #expect(try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)"}"#, token: nil).status == 200)
        let base = "servers/\(Self.uuid)"
        #expect(try await post(daemon, base + "/heartbeat", #"{"progress": 42.5}"#, token: nil).status == 200)
        var server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.status.condition(Server.conditionPowerCycle)?.message == "Server wipe in progress: 42%.")
        let badProgress = try await post(daemon, base + "/heartbeat", #"{"progress": 250}"#, token: nil)
        #expect(badProgress.status == 400)
        #expect(badProgress.body.contains("field progress must be 0-100, not 250"))
        // One WipeProgress event per 10 % step: heartbeats within a step fold into it.
        #expect(try await post(daemon, base + "/heartbeat", #"{"progress": 47}"#, token: nil).status == 200)
        #expect(try await post(daemon, base + "/heartbeat", #"{"progress": 51}"#, token: nil).status == 200)
        #expect(try await post(daemon, base + "/heartbeat", "{}", token: nil).status == 200)
        let progress = try await serverEvents(daemon) { events in
            events.filter { $0.reason == "WipeProgress" }.map(\.count).reduce(0, +) == 3
        }.filter { $0.reason == "WipeProgress" }
        #expect(progress.map(\.message) == ["wipe 40%", "wipe 50%"])
        #expect(progress.map(\.count) == [2, 1])
        #expect(progress.allSatisfy { $0.type == .normal && $0.source.hasPrefix("metadatad") })

        // No address and no endpoint yet: the credentials are kept, the condition says why there is no endpoint.
        #expect(try await post(daemon, base + "/bmc", #"{"ip": "0.0.0.0", "port": 623, "user": "sidero", "pass": "p1"}"#, token: nil).status == 200)
        server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.spec.bmc == nil)
        #expect(server.status.condition("BMCAddress")?.reason == "NoAddress")
        #expect(try await daemon.store.find(kind: "Secret", namespace: "default", name: "\(Self.uuid)-bmc") != nil)

        // The operator's endpoint is kept when the BMC still reports none; the credentials attach to it.
        _ = try await daemon.store.mutate(kind: "Server", name: Self.uuid) { resource in
            var server = try Server(resource)
            server.spec.bmc = BMC(endpoint: "10.1.1.1")
            resource = server.resource
        }
        #expect(try await post(daemon, base + "/bmc", #"{"ip": "0.0.0.0", "user": "sidero", "pass": "p2"}"#, token: nil).status == 200)
        server = try Server(try await daemon.store.get(kind: "Server", name: Self.uuid))
        #expect(server.spec.bmc?.endpoint == "10.1.1.1")
        #expect(server.spec.bmc?.userFrom?.secretKeyRef?.name == "\(Self.uuid)-bmc")
        #expect(server.status.condition("BMCAddress")?.status == "False")
        try await daemon.stop()
    }

    @Test func oversizedOrMalformedInventoryIsRefusedNamingTheProblem() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false"])
        let disks = (0..<1100).map { #"{"name": "sd\#($0)"}"# }.joined(separator: ",")
        let tooMany = try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)", "hardware": {"storage": {"devices": [\#(disks)]}}}"#, token: nil)
        #expect(tooMany.status == 422)
        #expect(tooMany.body.contains("hardware.storage.devices has 1100 entries; at most 1024"), "\(tooMany.body)")
        let long = String(repeating: "x", count: 600)
        let longString = try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)", "hardware": {"system": {"serialNumber": "\#(long)"}}}"#, token: nil)
        #expect(longString.status == 422)
        #expect(longString.body.contains("hardware.system.serialNumber is 600 bytes long"))
        let huge = String(repeating: "y", count: 2 << 20)
        let oversized = try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)", "hostname": "\#(huge)"}"#, token: nil)
        #expect(oversized.status == 413)
        #expect(oversized.body.contains("larger than"))
        let wrongShape = try await post(daemon, "register", #"{"uuid": "\#(Self.uuid)", "hardware": {"storage": {"devices": "sda"}}}"#, token: nil)
        #expect(wrongShape.status == 400)
        #expect(wrongShape.body.contains("field hardware.storage.devices must be"), "\(wrongShape.body)")
        #expect(try await daemon.store.list(kind: "Server").isEmpty)
        try await daemon.stop()
    }
}
