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
}
