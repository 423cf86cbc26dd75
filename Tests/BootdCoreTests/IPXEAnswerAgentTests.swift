import AnvilBoot
import AnvilResources
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

    @Test func withMachineTokensTheAgentCarriesTheServersToken() async throws {
        try await withTemporaryStore { store, state in
            let settings = try bootdSettings(state: state, ["--machine-tokens", "true"])
            let token = try #require(settings.token(for: BootFixtures.uuid))
            let answer = ipxeHandler(settings: settings, store: store)
                .answer(BootQuery(uuid: BootFixtures.uuid), state: BootState(server: nil, target: .agent))
            #expect(answer.body.contains("anvil.token=\(token)"))
        }
    }
}
