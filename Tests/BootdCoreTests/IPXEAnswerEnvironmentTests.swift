import AnvilBoot
import AnvilResources
import Testing
@testable import BootdCore

/// `/ipxe` for allocated servers to install: missing (404), not ready (412), or the script, and
/// when serving it marks the server PXEBooted.
@Suite struct IPXEAnswerEnvironmentTests {
    /// The answer for a target environment "talos", given the server and what the store holds.
    func answer(server: Server = BootFixtures.server(), environment: Environment?, arguments: [String] = []) async throws -> BootAnswer {
        var result: BootAnswer?
        try await withTemporaryStore { store, state in
            let handler = ipxeHandler(settings: try bootdSettings(state: state, arguments), store: store)
            result = handler.answer(
                BootQuery(uuid: BootFixtures.uuid),
                state: BootState(server: server, target: .environment("talos"), environment: environment))
        }
        return try #require(result)
    }

    @Test func aMissingEnvironmentIsA404Warning() async throws {
        let answer = try await answer(environment: nil)
        #expect(answer.statusCode == 404)
        #expect(answer.branch == "environment_missing")
        #expect(answer.eventType == .warning)
        #expect(answer.reason == "BootFailed")
        #expect(answer.message.contains("\"talos\" not found"))
        #expect(answer.serverToMark == nil)
    }

    @Test func anEnvironmentNotReadyIsA412Warning() async throws {
        let answer = try await answer(environment: BootFixtures.environment("talos", ready: false))
        #expect(answer.statusCode == 412)
        #expect(answer.branch == "environment_not_ready")
        #expect(answer.eventType == .warning)
        #expect(answer.reason == "BootFailed")
        #expect(answer.message.contains("not ready"))
        #expect(answer.serverToMark == nil)
    }

    @Test func aReadyConditionForAnOlderURLIsNotReady() async throws {
        var environment = BootFixtures.environment("talos", ready: true)
        environment.spec.kernel?.url = "http://mirror.example/vmlinuz-new"
        #expect(try await answer(environment: environment).statusCode == 412)
    }

    @Test func aReadyEnvironmentIsServedAndMarksTheServer() async throws {
        let answer = try await answer(environment: BootFixtures.environment("talos", ready: true, args: ["console=ttyS0"]))
        #expect(answer.statusCode == 200)
        #expect(answer.branch == "environment")
        #expect(answer.eventType == .normal)
        #expect(answer.reason == "BootEnvironment")
        #expect(answer.body.hasPrefix("#!ipxe\nkernel /env/talos/vmlinuz console=ttyS0 talos.config=http://192.0.2.1:8082/configdata?uuid="))
        #expect(answer.body.contains("initrd /env/talos/initramfs.xz"))
        // on-serve (the default) and not yet PXEBooted: serving it is the installation.
        #expect(answer.serverToMark?.metadata.name == BootFixtures.uuid)
    }

    @Test func anAlreadyPXEBootedServerIsNotMarkedAgain() async throws {
        // pxeBootAlways servers reach here while PXEBooted; marking again would cost a write per boot.
        let answer = try await answer(server: BootFixtures.server(pxeBooted: true), environment: BootFixtures.environment("talos", ready: true))
        #expect(answer.branch == "environment")
        #expect(answer.serverToMark == nil)
    }

    @Test func onInstallReportNothingIsMarkedOnServe() async throws {
        let answer = try await answer(
            environment: BootFixtures.environment("talos", ready: true), arguments: ["--mark-pxebooted", "on-install-report"])
        #expect(answer.branch == "environment")
        #expect(answer.serverToMark == nil)
    }
}
