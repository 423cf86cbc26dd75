import AnvilBoot
import AnvilResources
import Testing

@Suite struct BootDecisionTests {
    static let uuid = "4c4c4544-0000-1000-8000-000000000001"

    func server(pxeBooted: Bool = false, always: Bool? = nil, environment: String? = nil, method: BootFromDiskMethod? = nil) -> Server {
        var server = Server(metadata: ObjectMeta(name: Self.uuid))
        server.spec.accepted = true
        server.spec.pxeBootAlways = always
        server.spec.environmentRef = environment.map { ObjectReference(name: $0) }
        server.spec.bootFromDiskMethod = method
        if pxeBooted { server.status.conditions = [Condition(type: Server.conditionPXEBooted, status: "True")] }
        return server
    }

    var binding: ServerBinding {
        ServerBinding(metadata: ObjectMeta(name: Self.uuid), spec: ServerBindingSpec(metalMachineRef: ObjectReference(name: "m")))
    }

    func serverClass(environment: String? = nil, method: BootFromDiskMethod? = nil) -> ServerClass {
        var serverClass = ServerClass(metadata: ObjectMeta(name: "workers"))
        serverClass.spec.environmentRef = environment.map { ObjectReference(name: $0) }
        serverClass.spec.bootFromDiskMethod = method
        return serverClass
    }

    @Test func unknownServerGetsTheAgent() {
        #expect(BootDecision.target(server: nil, binding: nil, serverClass: nil, defaultDiskMethod: .ipxeExit) == .agent)
    }

    @Test func knownButUnboundServerGetsTheAgent() {
        #expect(BootDecision.target(server: server(), binding: nil, serverClass: nil, defaultDiskMethod: .ipxeExit) == .agent)
        // Even when installed before: without a binding it is to be wiped.
        #expect(BootDecision.target(server: server(pxeBooted: true), binding: nil, serverClass: nil, defaultDiskMethod: .ipxeExit) == .agent)
    }

    @Test func installedServerBootsFromDiskByServerThenClassThenDefault() {
        let installed = server(pxeBooted: true, method: .ipxeSanboot)
        #expect(BootDecision.target(server: installed, binding: binding, serverClass: serverClass(method: .http404), defaultDiskMethod: .ipxeExit) == .disk(.ipxeSanboot))
        #expect(BootDecision.target(server: server(pxeBooted: true), binding: binding, serverClass: serverClass(method: .http404), defaultDiskMethod: .ipxeExit) == .disk(.http404))
        #expect(BootDecision.target(server: server(pxeBooted: true), binding: binding, serverClass: nil, defaultDiskMethod: .ipxeSanboot) == .disk(.ipxeSanboot))
    }

    @Test func pxeBootAlwaysIgnoresPXEBooted() {
        #expect(BootDecision.target(server: server(pxeBooted: true, always: true), binding: binding, serverClass: nil, defaultDiskMethod: .ipxeExit) == .environment("default"))
    }

    @Test func environmentComesFromServerThenClassThenDefault() {
        #expect(BootDecision.target(server: server(environment: "talos"), binding: binding, serverClass: serverClass(environment: "other"), defaultDiskMethod: .ipxeExit) == .environment("talos"))
        #expect(BootDecision.target(server: server(), binding: binding, serverClass: serverClass(environment: "other"), defaultDiskMethod: .ipxeExit) == .environment("other"))
        #expect(BootDecision.target(server: server(), binding: binding, serverClass: serverClass(), defaultDiskMethod: .ipxeExit) == .environment("default"))
    }
}

@Suite struct BootQueryTests {
    @Test func normalisesUUIDAndMAC() throws {
        let query = try BootQuery(parameters: ["uuid": "4C4C4544-0000-1000-8000-00000000000A", "mac": "52-54-00-AB-cd-EF", "arch": "x86_64", "hostname": ""])
        #expect(query.uuid == "4c4c4544-0000-1000-8000-00000000000a")
        #expect(query.mac == "52:54:00:ab:cd:ef")
        #expect(query.arch == "amd64")
        #expect(query.hostname == nil)
        #expect(try BootQuery(parameters: ["uuid": "4c4c4544-0000-1000-8000-00000000000a", "arch": "arm64"]).arch == "arm64")
    }

    @Test(arguments: [
        (["mac": "52-54-00-12-34-56"], "missing uuid"),
        (["uuid": "not-a-uuid"], "malformed uuid"),
        (["uuid": "4c4c4544-0000-1000-8000-00000000000g"], "malformed uuid"),
        (["uuid": "4c4c4544000010008000000000000001"], "malformed uuid"),
        (["uuid": "4c4c4544-0000-1000-8000-000000000001", "mac": "52-54-00-12-34"], "malformed mac"),
        (["uuid": "4c4c4544-0000-1000-8000-000000000001", "mac": "zz:54:00:12:34:56"], "malformed mac"),
    ])
    func badParametersAreNamed(parameters: [String: String], fragment: String) {
        #expect(throws: BootRequestError.self) { try BootQuery(parameters: parameters) }
        do {
            _ = try BootQuery(parameters: parameters)
        } catch {
            #expect(error.message.contains(fragment))
        }
    }
}

@Suite struct KernelArgumentTests {
    @Test func overridesReplaceByKeyAndAppendTheRest() {
        var arguments = KernelArguments(["console=tty0", "console=ttyS0", "panic=30", "quiet"])
        arguments.override(with: KernelArguments(commandLine: "console=ttyS1,115200  panic=0 ip=dhcp"))
        #expect(arguments.arguments == ["console=ttyS1,115200", "panic=0", "quiet", "ip=dhcp"])
    }

    @Test func agentArgumentsCarryEndpointMACTokenAndExtras() {
        let endpoints = BootEndpoints(apiEndpoint: "10.0.0.1", apiPort: 8081, metadataPort: 8082)
        let arguments = BootArguments.agent(
            mac: "52:54:00:12:34:56", endpoints: endpoints, token: "abc", extra: KernelArguments(commandLine: "panic=5 sidero.endpoint=lb:9000"))
        #expect(arguments == [
            "console=tty0", "console=ttyS0", "initrd=initramfs.xz", "panic=5", "sidero.endpoint=lb:9000",
            "anvil.endpoint=10.0.0.1:8082", "sidero.mac=52:54:00:12:34:56", "anvil.token=abc",
        ])
    }

    @Test func targetArgumentsGetTheConfigURLUnlessGiven() {
        let endpoints = BootEndpoints(apiEndpoint: "fd00::1", apiPort: 8081, metadataPort: 8082)
        #expect(BootArguments.target(environmentArguments: ["console=ttyS0"], endpoints: endpoints, token: nil)
            == ["console=ttyS0", "talos.config=http://[fd00::1]:8082/configdata?uuid="])
        #expect(BootArguments.target(environmentArguments: ["talos.config=http://x/y"], endpoints: endpoints, token: "t")
            == ["talos.config=http://x/y", "anvil.token=t"])
        #expect(BootArguments.target(environmentArguments: [], endpoints: endpoints, token: "t")
            == ["talos.config=http://[fd00::1]:8082/configdata?token=t&uuid=", "anvil.token=t"])
    }
}

@Suite struct IPXEScriptTests {
    @Test func bootScriptChainsToIPXEWithEveryIdentityVariable() {
        let script = IPXEScript.boot(endpoint: "192.0.2.10", port: 8081)
        #expect(script.hasPrefix("#!ipxe\n"))
        #expect(script.contains("chain --replace http://192.0.2.10:8081/ipxe?uuid=${uuid}&mac=${net${idx}/mac:hexhyp}&domain=${domain}&hostname=${hostname}&serial=${serial}&arch=${buildarch} || goto next_iface"))
        #expect(script.contains("ifopen net${idx} || goto next_iface"))
        #expect(script.contains("iflinkwait --timeout 5000 net${idx} || echo"))
        #expect(script.contains("dhcp net${idx} || goto next_iface"))
        #expect(script.contains("reboot"))
    }

    @Test func environmentScriptBootsRelativeAssets() {
        #expect(IPXEScript.environment(name: "talos", arguments: ["a=1", "b"])
            == "#!ipxe\nkernel /env/talos/vmlinuz a=1 b\ninitrd /env/talos/initramfs.xz\nboot\n")
        #expect(IPXEScript.exit == "#!ipxe\nexit\n")
        #expect(IPXEScript.sanboot == "#!ipxe\nsanboot --no-describe --drive 0x80\n")
    }
}
