import AnvilIPMI
import AnvilIPMIClient
import AnvilPower
import Testing
@testable import AnvilAgent

/// The agent's in-band BMC step over a fake user table: the commands, their order and bytes,
/// the report and the log lines, for the tables and failures real BMCs present.
@Suite struct BMCInBandSetupTests {
    static let password = "Pa55wordPa55word"

    static func run(_ bmc: FakeUserTableBMC) async -> (report: BMCReport, log: [String]) {
        let log = LogLines()
        let report = await InBandBMCSetup().run(executor: bmc, password: password, log: { log.append($0) })
        return (report, log.lines)
    }

    /// Command bytes (netFn, command, data) as sent.
    static func summary(_ requests: [IPMIRequest]) -> [[UInt8]] {
        requests.map { [$0.netFn, $0.command] + $0.data }
    }

    static let passwordField = Array(password.utf8)
    static let zeros16 = [UInt8](repeating: 0, count: 16)
    static let sideroField = Array("sidero".utf8) + [UInt8](repeating: 0, count: 10)

    @Test func freshTableTakesTheFirstNeverUsedSlotWithSideroBytes() async {
        let bmc = FakeUserTableBMC(maximumUsers: 4, slots: [2: .named("admin")], ip: [192, 0, 2, 7], port: 623)
        let (report, log) = await Self.run(bmc)
        #expect(report == BMCReport(ip: "192.0.2.7", port: 623, user: "sidero", pass: Self.password))
        let expected: [[UInt8]] = [
            [0x0C, 0x02, 0x01, 0x03, 0x00, 0x00],  // LAN parameter 3, channel 1
            [0x0C, 0x02, 0x01, 0x08, 0x00, 0x00],  // LAN parameter 8
            [0x06, 0x44, 0x01, 0x01],  // Get User Access, channel 1, user 1: the summary
            [0x06, 0x46, 0x02], [0x06, 0x46, 0x03], [0x06, 0x46, 0x04],  // names 2 … max
            [0x06, 0x45, 0x03] + Self.sideroField,  // Set User Name
            [0x06, 0x47, 0x03, 0x02] + Self.passwordField,  // Set User Password, set
            [0x06, 0x43, 0x91, 0x03, 0x04],  // Set User Access: change | messaging | channel 1, admin
            [0x06, 0x47, 0x03, 0x01] + Self.zeros16,  // Set User Password, enable
        ]
        #expect(Self.summary(await bmc.sent) == expected)
        let user = await bmc.users[3]
        #expect(user?.name == "sidero" && user?.enabled == true && user?.privilege == 4 && user?.accessFlags == 0x91)
        #expect(user?.password == Self.passwordField)
        #expect(log == [
            "bmc: LAN channel 1 address 192.0.2.7 port 623",
            "bmc: user sidero in slot 3 (new), administrator on channel 1, enabled",
        ])
    }

    @Test func emptyUserPlaceholderAndEmptyNamesAreFree() async {
        let placeholder = FakeUserTableBMC(maximumUsers: 5, slots: [2: .named("root"), 3: .named("(Empty User)"), 4: .named("")])
        #expect(await Self.run(placeholder).report.user == "sidero")
        #expect(await placeholder.users[3]?.name == "sidero")
        let empty = FakeUserTableBMC(maximumUsers: 5, slots: [2: .named("root"), 3: .named("ops"), 4: .named("")])
        _ = await Self.run(empty)
        #expect(await empty.users[4]?.name == "sidero")
        // The whole table is scanned for an existing user before the free slot is taken.
        #expect(await empty.sent.filter { $0.command == GetUserName.command }.map(\.data) == [[2], [3], [4], [5]])
    }

    @Test func anExistingSideroIsReusedWithoutRenamingAndGetsANewPassword() async {
        let bmc = FakeUserTableBMC(maximumUsers: 10, slots: [2: .named("admin"), 3: .named(""), 5: .named("sidero")])
        let (report, log) = await Self.run(bmc)
        #expect(report.user == "sidero" && report.pass == Self.password)
        let sent = await bmc.sent
        // The scan stops at the match; no Set User Name.
        #expect(sent.filter { $0.command == GetUserName.command }.map(\.data) == [[2], [3], [4], [5]])
        #expect(!sent.contains { $0.command == SetUserName.command })
        #expect(Self.summary(Array(sent.suffix(3))) == [
            [0x06, 0x47, 0x05, 0x02] + Self.passwordField,
            [0x06, 0x43, 0x91, 0x05, 0x04],
            [0x06, 0x47, 0x05, 0x01] + Self.zeros16,
        ])
        #expect(log.last == "bmc: user sidero in slot 5 (existing), administrator on channel 1, enabled")
    }

    @Test func aFullTableGivesUpWithAClearErrorAndNoCredentials() async {
        let bmc = FakeUserTableBMC(maximumUsers: 4, slots: [2: .named("a"), 3: .named("b"), 4: .named("c")])
        let (report, log) = await Self.run(bmc)
        #expect(report == BMCReport(ip: "10.0.0.9", port: 623, user: nil, pass: nil))
        #expect(!(await bmc.sent).contains { [SetUserName.command, SetUserPassword.command, SetUserAccess.command].contains($0.command) })
        #expect(log.last?.hasPrefix("bmc: user sidero not set up: no free user slot on fake-bmc") == true, "\(log)")
    }

    @Test func aPortParameterErrorMeans623() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3, port: nil)
        let (report, log) = await Self.run(bmc)
        #expect(report.port == 623 && report.ip == "10.0.0.9" && report.user == "sidero")
        #expect(log.first?.hasPrefix("bmc: LAN channel 1 address 10.0.0.9 port 623 (the default; the port could not be read:") == true, "\(log)")
        let custom = FakeUserTableBMC(maximumUsers: 3, port: 6230)
        #expect(await Self.run(custom).report.port == 6230)
    }

    @Test func zeroAddressIsReportedAsIsAndTheUserIsStillSetUp() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3, ip: [0, 0, 0, 0])
        let (report, log) = await Self.run(bmc)
        #expect(report == BMCReport(ip: "0.0.0.0", port: 623, user: "sidero", pass: Self.password))
        #expect(log.first == "bmc: LAN channel 1 address 0.0.0.0 port 623; the BMC has no address configured")
        // One pass through: nothing is asked twice.
        #expect(await bmc.sent.filter { $0.netFn == IPMINetFn.transport }.count == 2)
    }

    @Test func anUnreadableAddressIsReportedAsZeroAndTheUserIsStillSetUp() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3)
        await bmc.fail(command: GetLANConfigurationParameters.command, with: 0xC1)
        let (report, log) = await Self.run(bmc)
        #expect(report == BMCReport(ip: "0.0.0.0", port: 623, user: "sidero", pass: Self.password))
        #expect(log.first?.contains("address unknown, reporting 0.0.0.0") == true, "\(log)")
    }

    @Test func setUserAccessFailingLeavesNoCredentialsAndStops() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3)
        await bmc.fail(command: SetUserAccess.command, with: IPMICompletionCode.insufficientPrivilege)
        let (report, log) = await Self.run(bmc)
        #expect(report.user == nil && report.pass == nil && report.ip == "10.0.0.9")
        #expect(await bmc.sent.last?.command == SetUserAccess.command)  // no enable after the failure
        #expect(log.last?.contains("Set User Access on fake-bmc: completion code 0xD4") == true, "\(log)")
    }

    @Test func anotherUserNameAndChannel() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3)
        let log = LogLines()
        let report = await InBandBMCSetup(user: "anvil", channel: 2).run(executor: bmc, password: "x", log: { log.append($0) })
        #expect(report.user == "anvil")
        let sent = await bmc.sent
        #expect(sent.first?.data == [0x02, 0x03, 0x00, 0x00])
        #expect(sent.contains { $0.command == SetUserAccess.command && $0.data == [0x92, 0x02, 0x04] })
    }

    @Test func theRandomPasswordIsUsedAndReported() async {
        let bmc = FakeUserTableBMC(maximumUsers: 3)
        let report = await InBandBMCSetup().run(executor: bmc, log: { _ in })
        guard let pass = report.pass else { Issue.record("no password reported"); return }
        #expect(pass.count == 16)
        #expect(await bmc.users[2]?.password == Array(pass.utf8))
    }

    @Test func reportJSON() {
        let full = BMCReport(ip: "10.0.0.9", port: 623, user: "sidero", pass: "abc")
        #expect(full.json["ip"]?.stringValue == "10.0.0.9")
        #expect(full.json["port"]?.intValue == 623)
        #expect(full.json["user"]?.stringValue == "sidero" && full.json["pass"]?.stringValue == "abc")
        let bare = BMCReport(ip: "0.0.0.0", port: 623)
        #expect(bare.json["user"]?.isNull == true && bare.json["pass"]?.isNull == true)
    }
}
