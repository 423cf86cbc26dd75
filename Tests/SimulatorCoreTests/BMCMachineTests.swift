import AnvilIPMI
import SimulatorCore
import Testing

/// The BMC state machine without sockets (docs/simulator.md "BMC"): handshakes, refusals, commands
/// reaching the chassis, the replay window and the power-lie fault.
@Suite struct BMCMachineTests {
    @Test(arguments: [IPMICipherSuite.suite3, .suite17])
    func opensASessionAndAnswersCommands(suite: IPMICipherSuite) throws {
        var bmc = BMCMachine(password: "secret")
        var console = BMCTestConsole(suite: suite, password: "secret")
        #expect(console.open(&bmc) == .opened)
        #expect(bmc.openSessions == 1)
        let chassis = SimulatedChassis()
        let raised = try #require(console.send(SetSessionPrivilegeLevel.request(.administrator), to: &bmc, chassis: chassis))
        #expect(try SetSessionPrivilegeLevel.parse(raised) == .administrator)
        let device = try GetDeviceID.parse(try #require(console.send(GetDeviceID.request(), to: &bmc, chassis: chassis)))
        #expect(device.ipmiVersion == "2.0")
        #expect(bmc.statistics.sessionsOpened == 1)
        #expect(bmc.statistics.commands == 2)
        #expect(bmc.statistics.commandsByKey[BMCCommandKey(netFn: 0x06, command: 0x01)] == 1)
        let close = try #require(console.send(CloseSession.request(managedSystemSessionID: console.managedID), to: &bmc, chassis: chassis))
        #expect(close.completionCode == 0)
        #expect(bmc.openSessions == 0)
    }

    @Test func refusesAWrongPasswordAtRAKP3() {
        var bmc = BMCMachine(password: "secret")
        var console = BMCTestConsole(password: "wrong")
        #expect(console.open(&bmc) == .refused(message: 4, status: RMCPPlusStatusCode.invalidIntegrityCheckValue))
        #expect(bmc.openSessions == 0)
        #expect(bmc.statistics.loginsRefused == 1)
    }

    @Test func refusesAnUnknownUserAtRAKP1() {
        var bmc = BMCMachine(password: "secret")
        var console = BMCTestConsole(suite: .suite3, user: "root", password: "secret")
        #expect(console.open(&bmc) == .refused(message: 2, status: RMCPPlusStatusCode.unauthorizedName))
    }

    @Test func refusesASuiteItDoesNotOffer() {
        var bmc = BMCMachine(password: "secret")
        bmc.suites = [17]
        var console = BMCTestConsole(suite: .suite3, password: "secret")
        #expect(console.open(&bmc) == .refused(message: 0, status: 0x11))
    }

    @Test func answersGetChannelAuthenticationCapabilitiesAndPresencePing() throws {
        var bmc = BMCMachine(password: "secret")
        let view = BMCChassisView(isPoweredOn: false)
        let request = IPMI15Packet.encode(message: IPMIMessage.encodeRequest(GetChannelAuthenticationCapabilities.request(), sequence: 1))
        let answer = try #require(bmc.receive(request, chassis: view, now: .now).answer)
        let (response, _) = try IPMIMessage.decodeResponse(try IPMI15Packet.decode(answer))
        #expect(try GetChannelAuthenticationCapabilities.parse(response).supportsIPMIv2)
        let suites = IPMI15Packet.encode(message: IPMIMessage.encodeRequest(GetChannelCipherSuites.request(listIndex: 0), sequence: 2))
        let (list, _) = try IPMIMessage.decodeResponse(try IPMI15Packet.decode(try #require(bmc.receive(suites, chassis: view, now: .now).answer)))
        #expect(GetChannelCipherSuites.suiteIDs(fromRecords: try GetChannelCipherSuites.parse(list)) == [3, 17])
        let pong = try #require(bmc.receive(ASFPresencePing.encode(tag: 9), chassis: view, now: .now).answer)
        let decoded = try ASFPresencePing.decodePong(pong)
        #expect(decoded.tag == 9 && decoded.supportsIPMI)
        #expect(bmc.receive([1, 2, 3], chassis: view, now: .now).answer == nil)
    }

    @Test func powerCommandsReachTheChassis() throws {
        var bmc = BMCMachine(password: "pw")
        var console = BMCTestConsole(password: "pw")
        #expect(console.open(&bmc) == .opened)
        let chassis = SimulatedChassis()
        // Power control needs Operator; the session starts at User.
        #expect(console.send(ChassisControl.request(.powerUp), to: &bmc, chassis: chassis)?.completionCode == IPMICompletionCode.insufficientPrivilege)
        _ = console.send(SetSessionPrivilegeLevel.request(.administrator), to: &bmc, chassis: chassis)
        // Cycle while off: refused as on many real BMCs (Sidero #145).
        #expect(console.send(ChassisControl.request(.powerCycle), to: &bmc, chassis: chassis)?.completionCode == IPMICompletionCode.notSupportedInPresentState)
        #expect(console.send(ChassisControl.request(.powerUp), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(chassis.isPoweredOn && chassis.bootCount == 1)
        let status = try GetChassisStatus.parse(try #require(console.send(GetChassisStatus.request(), to: &bmc, chassis: chassis)))
        #expect(status.powerOn)
        #expect(console.send(ChassisControl.request(.powerCycle), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(console.send(ChassisControl.request(.hardReset), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(chassis.bootCount == 3)
        #expect(console.send(ChassisControl.request(.softShutdown), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(!chassis.isPoweredOn)
        #expect(console.send(ChassisControl.request(.powerUp), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(console.send(ChassisControl.request(.powerDown), to: &bmc, chassis: chassis)?.completionCode == 0)
        #expect(!chassis.isPoweredOn)
        #expect(try GetChassisStatus.parse(try #require(console.send(GetChassisStatus.request(), to: &bmc, chassis: chassis))).powerOn == false)
        #expect(console.send(IPMIRequest(netFn: 0x06, command: 0x99), to: &bmc, chassis: chassis)?.completionCode == IPMICompletionCode.invalidCommand)
    }

    @Test func bootDeviceOnceAndPersistent() throws {
        var bmc = BMCMachine(password: "pw")
        var console = BMCTestConsole(suite: .suite3, password: "pw")
        #expect(console.open(&bmc) == .opened)
        let chassis = SimulatedChassis(bootOrder: [.disk])
        _ = console.send(SetSessionPrivilegeLevel.request(.administrator), to: &bmc, chassis: chassis)
        func set(_ flags: BootFlags) -> UInt8? {
            for request in [SetSystemBootOptions.setInProgress(.setInProgress), SetSystemBootOptions.clearBootInfoAcknowledge()] {
                #expect(console.send(request, to: &bmc, chassis: chassis)?.completionCode == 0)
            }
            defer { _ = console.send(SetSystemBootOptions.setInProgress(.setComplete), to: &bmc, chassis: chassis) }
            return console.send(SetSystemBootOptions.bootFlags(flags), to: &bmc, chassis: chassis)?.completionCode
        }
        #expect(set(BootFlags(device: .pxe)) == 0)
        #expect(chassis.nextBoot?.device == .network && chassis.nextBoot?.persistent == false)
        let read = try GetSystemBootOptions.parseBootFlags(try #require(console.send(GetSystemBootOptions.bootFlagsRequest(), to: &bmc, chassis: chassis)))
        #expect(read == BootFlags(valid: true, persistent: false, efi: true, device: .pxe))
        _ = console.send(ChassisControl.request(.powerUp), to: &bmc, chassis: chassis)
        #expect(chassis.nextBoot == nil)  // consumed by the boot
        #expect(set(BootFlags(persistent: true, efi: false, device: .disk)) == 0)
        _ = console.send(ChassisControl.request(.powerCycle), to: &bmc, chassis: chassis)
        #expect(chassis.nextBoot?.device == .disk && chassis.nextBoot?.persistent == true)
        #expect(set(BootFlags(valid: false, device: .noOverride)) == 0)
        #expect(chassis.nextBoot == nil)
        let cleared = try GetSystemBootOptions.parseBootFlags(try #require(console.send(GetSystemBootOptions.bootFlagsRequest(), to: &bmc, chassis: chassis)))
        #expect(cleared.valid == false)
        #expect(console.send(SetSystemBootOptions.request(parameter: 0x61, data: [1]), to: &bmc, chassis: chassis)?.completionCode == 0x80)
    }

    @Test func rejectsReplaysAndUnknownSessions() {
        var bmc = BMCMachine(password: "pw")
        var console = BMCTestConsole(password: "pw")
        #expect(console.open(&bmc) == .opened)
        let datagram = console.datagram(GetDeviceID.request())
        let view = BMCChassisView(isPoweredOn: false)
        #expect(bmc.receive(datagram, chassis: view, now: console.now).answer != nil)
        #expect(bmc.receive(datagram, chassis: view, now: console.now).answer == nil)  // replay
        var tampered = console.datagram(GetDeviceID.request())
        tampered[tampered.count - 1] ^= 1
        #expect(bmc.receive(tampered, chassis: view, now: console.now).answer == nil)  // bad AuthCode
        // An idle session expires.
        let later = console.now + .seconds(61)
        #expect(bmc.receive(console.datagram(GetDeviceID.request()), chassis: view, now: later).answer == nil)
        #expect(bmc.openSessions == 0)
    }

    @Test func liesAboutPowerForAWhileAfterPowerOff() throws {
        var bmc = BMCMachine(password: "pw")
        bmc.powerLieSeconds = 5
        var console = BMCTestConsole(password: "pw")
        #expect(console.open(&bmc) == .opened)
        let chassis = SimulatedChassis()
        chassis.powerOn()
        _ = console.send(SetSessionPrivilegeLevel.request(.administrator), to: &bmc, chassis: chassis)
        _ = console.send(ChassisControl.request(.powerDown), to: &bmc, chassis: chassis)
        #expect(!chassis.isPoweredOn)
        console.now += .seconds(4)
        #expect(try GetChassisStatus.parse(try #require(console.send(GetChassisStatus.request(), to: &bmc, chassis: chassis))).powerOn)
        console.now += .seconds(2)
        #expect(try GetChassisStatus.parse(try #require(console.send(GetChassisStatus.request(), to: &bmc, chassis: chassis))).powerOn == false)
    }

    @Test func enrolsAUserThatCanLogIn() throws {
        var bmc = BMCMachine(password: "pw")
        var console = BMCTestConsole(password: "pw")
        #expect(console.open(&bmc) == .opened)
        let chassis = SimulatedChassis()
        _ = console.send(SetSessionPrivilegeLevel.request(.administrator), to: &bmc, chassis: chassis)
        let access = try GetUserAccess.parse(try #require(console.send(GetUserAccess.request(channel: 1, userID: 1), to: &bmc, chassis: chassis)))
        #expect(access.maximumUserIDs == 10)
        #expect(try GetUserName.parse(try #require(console.send(GetUserName.request(userID: 2), to: &bmc, chassis: chassis))) == Array("admin".utf8))
        #expect(try GetUserName.parse(try #require(console.send(GetUserName.request(userID: 3), to: &bmc, chassis: chassis))) == [])
        for request in [
            try SetUserName.request(userID: 3, userName: "anvil"),
            try SetUserPassword.request(userID: 3, operation: .setPassword, password: Array("a-long-password-20by".utf8)),
            try SetUserAccess.request(channel: 1, userID: 3, privilege: .administrator),
            try SetUserPassword.request(userID: 3, operation: .enableUser),
        ] {
            #expect(console.send(request, to: &bmc, chassis: chassis)?.completionCode == 0)
        }
        let test = try SetUserPassword.request(userID: 3, operation: .testPassword, password: Array("nope".utf8))
        #expect(console.send(test, to: &bmc, chassis: chassis)?.completionCode == SetUserPassword.testFailedWrongPassword)
        var enrolled = BMCTestConsole(suite: .suite3, user: "anvil", password: "a-long-password-20by")
        enrolled.consoleID = 77
        #expect(enrolled.open(&bmc) == .opened)
    }
}

/// What ipmitool sends before choosing a suite: session-less commands in RMCP+ framing, session ID 0.
@Suite struct BMCSessionlessRMCPPlusTests {
    @Test func answersGetChannelCipherSuitesInRMCPPlusFraming() throws {
        var bmc = BMCMachine(password: "pw")
        let message = IPMIMessage.encodeRequest(GetChannelCipherSuites.request(listIndex: 0), sequence: 3)
        let request = try RMCPPlusPacket(payloadType: .ipmi, payload: message).encode(keys: nil)
        let answer = try #require(bmc.receive(request, chassis: BMCChassisView(isPoweredOn: false), now: .now).answer)
        let packet = try RMCPPlusPacket.decode(answer, keys: nil)
        #expect(packet.sessionID == 0)
        let (response, sequence) = try IPMIMessage.decodeResponse(packet.payload)
        #expect(sequence == 3)
        #expect(GetChannelCipherSuites.suiteIDs(fromRecords: try GetChannelCipherSuites.parse(response)) == [3, 17])
        #expect(bmc.statistics.sessionlessCommands == 1 && bmc.statistics.commands == 0)
    }
}

@Suite struct BMCSessionLimitTests {
    /// Past 32 open sessions a BMC has no room: Open Session answers "insufficient resources".
    @Test func refusesASessionBeyondItsLimit() {
        var bmc = BMCMachine(password: "pw")
        for id in 1...32 {
            var console = BMCTestConsole(password: "pw")
            console.consoleID = UInt32(id)
            #expect(console.open(&bmc) == .opened)
        }
        var extra = BMCTestConsole(password: "pw")
        #expect(extra.open(&bmc) == .refused(message: 0, status: 0x01))
        #expect(bmc.openSessions == 32)
    }

    @Test func sumsStatistics() {
        var a = BMCStatistics(), b = BMCStatistics()
        a.commands = 2
        a.commandsByKey[BMCCommandKey(netFn: 0, command: 2)] = 2
        b.commands = 3
        b.commandsByKey[BMCCommandKey(netFn: 1, command: 2)] = 3
        let sum = a + b
        #expect(sum.commands == 5 && sum.commandsByKey[BMCCommandKey(netFn: 0, command: 2)] == 5)
        #expect(BMCCommandKey(netFn: 0x06, command: 0x3B).description == "06/3B")
    }
}

@Suite struct BMCHandshakeRetransmissionTests {
    /// A console whose RAKP 2 or RAKP 4 was lost sends its message again; the BMC answers it
    /// consistently, so the session still opens, once.
    @Test(arguments: [IPMICipherSuite.suite3, .suite17])
    func repeatedRAKPMessagesStillOpenOneSession(suite: IPMICipherSuite) throws {
        var bmc = BMCMachine(password: "pw")
        var console = BMCTestConsole(suite: suite, password: "pw")
        console.repeatHandshakeMessages = true
        #expect(console.open(&bmc) == .opened)
        #expect(bmc.openSessions == 1 && bmc.statistics.sessionsOpened == 1)
        let response = try #require(console.send(GetDeviceID.request(), to: &bmc, chassis: SimulatedChassis()))
        #expect(response.completionCode == 0)
    }
}
