import AnvilBoot
import SimulatorCore
import Testing

@Suite struct MachineIPXEScriptParserTests {
    @Test func theAgentScriptGivesItsKernelArguments() throws {
        let script = IPXEScript.environment(name: "agent-amd64", arguments: [
            "console=tty0", "anvil.endpoint=127.0.0.1:8082", "sidero.mac=02:5e:01:00:00:00", "anvil.token=abc", "quiet", "anvil.token=def",
        ])
        let answer = try IPXEScriptParser.parse(script)
        guard case .kernel(let path, let arguments, let flags) = answer else {
            Issue.record("not a kernel: \(answer)")
            return
        }
        #expect(path == "/env/agent-amd64/vmlinuz")
        #expect(arguments["anvil.endpoint"] == "127.0.0.1:8082")
        #expect(arguments["anvil.token"] == "def")  // a later repetition wins, as on a kernel command line
        #expect(flags == ["quiet"])
        #expect(answer.environment == .agent(endpoint: "127.0.0.1:8082"))
    }

    @Test func aTargetScriptCarriesTheConfigURL() throws {
        let script = IPXEScript.environment(name: "talos", arguments: ["talos.config=http://127.0.0.1:8082/configdata?token=t&uuid=", "anvil.token=t"])
        #expect(try IPXEScriptParser.parse(script).environment == .target(configURL: "http://127.0.0.1:8082/configdata?token=t&uuid="))
    }

    @Test func exitAndSanbootBootTheDisk() throws {
        #expect(try IPXEScriptParser.parse(IPXEScript.exit) == .exit)
        #expect(try IPXEScriptParser.parse(IPXEScript.sanboot) == .sanboot)
    }

    @Test func anythingElseIsAnError() {
        #expect(throws: IPXEScriptError.self) { try IPXEScriptParser.parse("<html>proxy</html>") }
        #expect(throws: IPXEScriptError.self) { try IPXEScriptParser.parse("#!ipxe\necho hello\n") }
        #expect(throws: IPXEScriptError.self) { try IPXEScriptParser.parse("#!ipxe\nshell\n") }
        #expect(throws: IPXEScriptError.self) { try IPXEScriptParser.parse("#!ipxe\nkernel\n") }
    }

    @Test func aKernelWithoutEndpointOrConfigIsUnknown() throws {
        #expect(try IPXEScriptParser.parse("#!ipxe\nkernel /x console=tty0\nboot\n").environment == .unknown)
    }

    @Test func bootIPXEsChainLineIsFoundAndExpanded() throws {
        let template = try BootScriptChain.chainURL(in: IPXEScript.boot(endpoint: "127.0.0.1", port: 8081))
        #expect(template == "http://127.0.0.1:8081/ipxe?uuid=${uuid}&mac=${net${idx}/mac:hexhyp}&domain=${domain}&hostname=${hostname}&serial=${serial}&arch=${buildarch}")
        #expect(BootScriptChain.expand(template, uuid: "u", macHyphenated: "02-5e-00-00-00-01", serial: "S1")
            == "http://127.0.0.1:8081/ipxe?uuid=u&mac=02-5e-00-00-00-01&domain=&hostname=&serial=S1&arch=x86_64")
        #expect(throws: IPXEScriptError.self) { try BootScriptChain.chainURL(in: "#!ipxe\nexit\n") }
    }
}
