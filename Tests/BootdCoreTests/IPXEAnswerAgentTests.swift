import AnvilBoot
import AnvilResources
import Foundation
import Testing
@testable import BootdCore

/// `/ipxe` for servers not allocated: the agent environment, with the reason in the event message.
@Suite struct IPXEAnswerAgentTests {
    @Test func anUnknownServerGetsTheAgentAsAnUnknownServer() async throws {
        try await withTemporaryStore { store, state in
            let handler = ipxeHandler(settings: try bootdSettings(state: state), store: store)
            let query = BootQuery(uuid: BootFixtures.uuid, mac: "52:54:00:12:34:56", arch: "amd64")
            let answer = handler.answer(query, state: BootState(server: nil, target: .agent))
            #expect(answer.branch == "agent")
            #expect(answer.statusCode == 200)
            #expect(answer.eventType == .normal)
            #expect(answer.reason == "BootAgent")
            #expect(answer.message.contains("unknown server"), "\(answer.message)")
            #expect(answer.serverToMark == nil)
            #expect(answer.body.contains("kernel /env/agent-amd64/vmlinuz"))
            #expect(answer.body.contains("sidero.endpoint=192.0.2.1:8082"))
            #expect(answer.body.contains("sidero.mac=52:54:00:12:34:56"))
            // Tokens are off in these settings: no token on the command line.
            #expect(!answer.body.contains("anvil.token="))
        }
    }

    @Test func aKnownUnboundServerGetsTheAgentAsNotAllocated() async throws {
        try await withTemporaryStore { store, state in
            let handler = ipxeHandler(settings: try bootdSettings(state: state), store: store)
            let query = BootQuery(uuid: BootFixtures.uuid, arch: "arm64")
            let answer = handler.answer(query, state: BootState(server: BootFixtures.server(), target: .agent))
            #expect(answer.branch == "agent")
            #expect(answer.message.contains("server not allocated"), "\(answer.message)")
            #expect(!answer.message.contains("unknown server"))
            // The agent is never taken for an installation.
            #expect(answer.serverToMark == nil)
            #expect(answer.body.contains("kernel /env/agent-arm64/vmlinuz"))
        }
    }

    @Test func withMachineTokensTheAgentCarriesATokenBoundToTheAskingAddress() async throws {
        try await withTemporaryStore { store, state in
            let settings = try bootdSettings(state: state, ["--machine-tokens", "true"])
            let handler = ipxeHandler(settings: settings, store: store)
            let query = BootQuery(uuid: BootFixtures.uuid)
            let answer = handler.answer(query, state: BootState(server: nil, target: .agent))
            #expect(!answer.body.contains("anvil.token="), "the cached answer holds no token")
            let issuer = try #require(handler.issuer)
            let served = try await handler.withToken(answer, script: try #require(answer.script), query: query, address: "10.0.0.5", issuer: issuer)
            let token = try #require(served.body.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasPrefix("anvil.token=") }?.dropFirst("anvil.token=".count))
            let key = try #require(settings.tokenKey)
            #expect((try? key.verifyAttempt(String(token), uuid: BootFixtures.uuid, address: "10.0.0.5", now: Date(), window: .seconds(60)).get()) != nil)
            #expect(key.verifyAttempt(String(token), uuid: BootFixtures.uuid, address: "10.0.0.6", now: Date(), window: .seconds(60)) == .failure(.wrongServerOrAddress))
        }
    }

    @Test func aKnownServerAskingFromAForeignMACGetsNoTokenUnlessTheCheckIsOff() async throws {
        try await withTemporaryStore { store, state in
            var server = BootFixtures.server()
            server.spec.hardware = HardwareInformation(network: NetworkInformation(interfaces: [NetworkInterface(mac: "52:54:00:aa:bb:01")]))
            let handler = ipxeHandler(settings: try bootdSettings(state: state, ["--machine-tokens", "true"]), store: store)
            let known = handler.answer(BootQuery(uuid: BootFixtures.uuid, mac: "52:54:00:AA:BB:01"), state: BootState(server: server, target: .agent))
            #expect(known.branch == "agent")
            for mac in ["52:54:00:66:66:66", nil] {
                let foreign = handler.answer(BootQuery(uuid: BootFixtures.uuid, mac: mac), state: BootState(server: server, target: .agent))
                #expect(foreign.statusCode == 403 && foreign.reason == "UnknownMAC" && foreign.eventType == .warning && foreign.script == nil)
                #expect(foreign.body.contains("none of server \(BootFixtures.uuid)'s NICs (52:54:00:aa:bb:01)"), "\(foreign.body)")
            }
            let lenient = ipxeHandler(settings: try bootdSettings(state: state, ["--check-mac", "false"]), store: store)
                .answer(BootQuery(uuid: BootFixtures.uuid, mac: "52:54:00:66:66:66"), state: BootState(server: server, target: .agent))
            #expect(lenient.branch == "agent")
        }
    }
}
