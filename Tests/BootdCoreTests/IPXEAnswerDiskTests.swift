import AnvilBoot
import AnvilResources
import Testing
@testable import BootdCore

/// `/ipxe` for installed servers: each boot-from-disk method's response.
@Suite struct IPXEAnswerDiskTests {
    func answer(_ method: BootFromDiskMethod) async throws -> BootAnswer {
        var result: BootAnswer?
        try await withTemporaryStore { store, state in
            let handler = ipxeHandler(settings: try bootdSettings(state: state), store: store)
            result = handler.answer(
                BootQuery(uuid: BootFixtures.uuid),
                state: BootState(server: BootFixtures.server(pxeBooted: true), target: .disk(method)))
        }
        return try #require(result)
    }

    @Test func ipxeExitLeavesIPXE() async throws {
        let answer = try await answer(.ipxeExit)
        #expect(answer.statusCode == 200)
        #expect(answer.body == IPXEScript.exit)
        #expect(answer.body.contains("exit"))
    }

    @Test func ipxeSanbootBootsTheFirstDisk() async throws {
        let answer = try await answer(.ipxeSanboot)
        #expect(answer.statusCode == 200)
        #expect(answer.body == IPXEScript.sanboot)
        #expect(answer.body.contains("sanboot"))
    }

    @Test func http404AnswersNotFound() async throws {
        let answer = try await answer(.http404)
        #expect(answer.statusCode == 404)
        #expect(answer.body.contains("boots from disk"))
        #expect(answer.body.contains(BootFixtures.uuid))
    }

    @Test(arguments: BootFromDiskMethod.allCases)
    func everyDiskAnswerIsTheDiskBranchAndMarksNothing(method: BootFromDiskMethod) async throws {
        let answer = try await answer(method)
        #expect(answer.branch == "disk")
        #expect(answer.eventType == .normal)
        #expect(answer.reason == "BootFromDisk")
        #expect(answer.message.contains(method.rawValue))
        #expect(answer.serverToMark == nil)
    }
}
