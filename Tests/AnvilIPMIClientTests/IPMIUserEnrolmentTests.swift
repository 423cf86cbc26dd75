import AnvilIPMI
import AnvilPower
import Testing
@testable import AnvilIPMIClient

/// An executor answering from a function and recording what it was sent.
actor ScriptedExecutor: IPMICommandExecutor {
    nonisolated let target = "scripted"
    private let answer: @Sendable (IPMIRequest) throws(PowerError) -> IPMIResponse
    private(set) var sent: [IPMIRequest] = []

    init(_ answer: @escaping @Sendable (IPMIRequest) throws(PowerError) -> IPMIResponse) {
        self.answer = answer
    }

    func execute(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        sent.append(request)
        return try answer(request)
    }

    /// A BMC whose user table has `maximum` slots named by `names` (missing: invalid data).
    static func userTable(maximum: UInt8, names: [UInt8: String]) -> ScriptedExecutor {
        ScriptedExecutor { request in
            switch request.command {
            case GetUserAccess.command: return IPMIResponse(answering: request, data: [maximum, 1, 1, 0])
            case GetUserName.command:
                guard let name = request.data.first.flatMap({ names[$0] }) else {
                    return IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidDataField)
                }
                return IPMIResponse(answering: request, data: Array(name.utf8) + [UInt8](repeating: 0, count: 16 - name.utf8.count))
            default: return IPMIResponse(answering: request)
            }
        }
    }
}

@Suite struct IPMIUserEnrolmentTests {
    @Test func theRMCPPlusClientIsAnExecutor() {
        let client = IPMIClient(endpoint: IPMIEndpoint(host: "192.0.2.1", port: 6230, user: "u", password: "p"))
        let executor: any IPMICommandExecutor = client
        #expect(executor.target == "192.0.2.1:6230")
    }

    @Test func aFixedSlotIsNamedWithoutAScan() async throws {
        let bmc = ScriptedExecutor.userTable(maximum: 10, names: [:])
        let slot = try await IPMIUserEnrolment(executor: bmc).enrol(IPMIUserSetup(user: "anvil", password: "secret", userID: 7))
        #expect(slot == IPMIUserSlot(userID: 7, existed: false))
        #expect(await bmc.sent.map(\.command) == [SetUserName.command, SetUserPassword.command, SetUserAccess.command, SetUserPassword.command])
    }

    @Test func slotOneIsNeverTakenAndEmptyUserIsFree() async throws {
        let bmc = ScriptedExecutor.userTable(maximum: 4, names: [1: "", 2: "admin", 3: "(Empty User)", 4: "x"])
        let slot = try await IPMIUserEnrolment(executor: bmc).findSlot(user: "sidero")
        #expect(slot == IPMIUserSlot(userID: 3, existed: false))
        #expect(await bmc.sent.first == GetUserAccess.request(channel: 1, userID: 1))
        #expect(await bmc.sent.dropFirst().map(\.data) == [[2], [3], [4]])
    }

    @Test func theTableSizeIsMaskedToSixBits() async throws {
        // Bits 7:6 of byte 1 are reserved; a BMC that sets them still has 3 slots.
        let bmc = ScriptedExecutor.userTable(maximum: 0xC3, names: [2: "a", 3: "sidero"])
        #expect(try await IPMIUserEnrolment(executor: bmc).findSlot(user: "sidero") == IPMIUserSlot(userID: 3, existed: true))
    }

    @Test func aTableWithOnlyTheAnonymousUserHasNoSlot() async {
        let bmc = ScriptedExecutor.userTable(maximum: 1, names: [:])
        await #expect(throws: PowerError.self) { try await IPMIUserEnrolment(executor: bmc).findSlot(user: "sidero") }
        #expect(await bmc.sent.count == 1)
    }

    @Test func badNamesAndPasswordsAreConfigurationErrors() async {
        let bmc = ScriptedExecutor.userTable(maximum: 4, names: [:])
        let enrolment = IPMIUserEnrolment(executor: bmc)
        for setup in [
            IPMIUserSetup(user: "", password: "p"), IPMIUserSetup(user: "seventeen-bytes-x", password: "p"),
            IPMIUserSetup(user: "u", password: String(repeating: "p", count: 21)), IPMIUserSetup(user: "u", password: "p", userID: 1),
        ] {
            do {
                _ = try await enrolment.enrol(setup)
                Issue.record("\(setup) must be refused")
            } catch {
                guard case .invalidConfiguration = error else { Issue.record("\(error)"); continue }
            }
        }
        #expect(await bmc.sent.isEmpty)
    }

    @Test func aTwentyBytePasswordUsesTheTwentyByteForm() async throws {
        let bmc = ScriptedExecutor.userTable(maximum: 4, names: [:])
        _ = try await IPMIUserEnrolment(executor: bmc).enrol(IPMIUserSetup(user: "u", password: String(repeating: "p", count: 20), userID: 2))
        let set = await bmc.sent.first { $0.command == SetUserPassword.command }
        #expect(set?.data.first == 0x82 && set?.data.count == 22)
    }
}

@Suite struct IPMILANDiscoveryTests {
    static func lan(ip: [UInt8], portAnswer: @escaping @Sendable (IPMIRequest) -> IPMIResponse) -> ScriptedExecutor {
        ScriptedExecutor { request in
            request.data[1] == 3 ? IPMIResponse(answering: request, data: [0x11] + ip) : portAnswer(request)
        }
    }

    @Test func addressAndLittleEndianPort() async throws {
        let bmc = Self.lan(ip: [172, 16, 0, 4]) { IPMIResponse(answering: $0, data: [0x11, 0x6E, 0x18]) }
        #expect(try await IPMILANDiscovery(executor: bmc).discover() == IPMILANAddress(ip: "172.16.0.4", port: 6254))
        #expect(await bmc.sent == [
            GetLANConfigurationParameters.request(channel: 1, parameter: 3), GetLANConfigurationParameters.request(channel: 1, parameter: 8),
        ])
    }

    @Test func anUnsupportedShortOrZeroPortMeans623() async throws {
        for answer in [
            { IPMIResponse(answering: $0, completionCode: 0x80) }, { IPMIResponse(answering: $0, data: [0x11, 0x6F]) },
            { IPMIResponse(answering: $0, data: [0x11, 0, 0]) },
        ] as [@Sendable (IPMIRequest) -> IPMIResponse] {
            let address = try await IPMILANDiscovery(executor: Self.lan(ip: [10, 1, 2, 3], portAnswer: answer)).discover()
            #expect(address.ip == "10.1.2.3" && address.port == 623)
            #expect(address.portFallbackReason != nil)
        }
    }

    @Test func parameterNotSupportedIsSaidPlainly() async throws {
        let bmc = Self.lan(ip: [10, 1, 2, 3]) { IPMIResponse(answering: $0, completionCode: 0x80) }
        let address = try await IPMILANDiscovery(executor: bmc).discover()
        #expect(address.portFallbackReason == "the BMC does not support parameter 8 (completion code 0x80)")
        let refused = Self.lan(ip: [10, 1, 2, 3]) { IPMIResponse(answering: $0, completionCode: 0xD4) }
        let reason = try await IPMILANDiscovery(executor: refused).discover().portFallbackReason ?? ""
        #expect(reason.contains("RMCP port) on scripted: completion code 0xD4"), "\(reason)")
    }

    @Test func anUnreadableAddressIsAnError() async {
        let bmc = ScriptedExecutor { IPMIResponse(answering: $0, completionCode: IPMICompletionCode.invalidCommand) }
        await #expect(throws: PowerError.self) { try await IPMILANDiscovery(executor: bmc).discover() }
    }
}

/// `IPMIBackend.setupUser` (bmcd's `bmc.setupUser`) still works, now through the shared enrolment.
@Suite struct IPMIBackendUserSetupTests {
    @Test func setupUserOverRMCPPlusScansAndEnrols() async throws {
        let bmc = try await FakeBMC()
        let backend = IPMIClientTests.backend(bmc)
        #expect(try await backend.setupUser(IPMIUserSetup(user: "anvil", password: "an-Vil-8899")) == 3)
        #expect(bmc.snapshot.userNames[3] == "anvil")
        // Again: the existing user is found, not renamed, and its password set again.
        let before = bmc.snapshot.commands.count
        #expect(try await backend.setupUser(IPMIUserSetup(user: "anvil", password: "an-Vil-8899")) == 3)
        #expect(Array(bmc.snapshot.commands[before...]) == [0x44, 0x46, 0x46, 0x47, 0x43, 0x47])
        await backend.shutdown()
        await bmc.stop()
    }
}
