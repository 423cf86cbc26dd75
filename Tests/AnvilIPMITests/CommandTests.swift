import Testing

@testable import AnvilIPMI

@Suite("Commands: request bytes, response parsing, completion codes")
struct CommandTests {
    static func ok(_ request: IPMIRequest, _ data: [UInt8]) -> IPMIResponse {
        IPMIResponse(answering: request, data: data)
    }

    @Test("every parse checks the completion code first")
    func completionCodeFirst() {
        let failure = IPMIResponse(netFn: 0x01, command: 0x02, completionCode: IPMICompletionCode.notSupportedInPresentState)
        #expect(throws: IPMICommandError.completionCode(0xD5, command: "Chassis Control")) {
            try ChassisControl.parse(failure)
        }
        #expect(
            "\(IPMICommandError.completionCode(0xD5, command: "Chassis Control"))"
                == "Chassis Control: 0xD5 command not supported in present state")
        let parsers: [(IPMIResponse) throws -> Void] = [
            { _ = try GetChannelAuthenticationCapabilities.parse($0) }, { _ = try GetChannelCipherSuites.parse($0) },
            { _ = try SetSessionPrivilegeLevel.parse($0) }, { try CloseSession.parse($0) }, { _ = try GetDeviceID.parse($0) },
            { _ = try GetChassisStatus.parse($0) }, { try ChassisControl.parse($0) }, { try SetSystemBootOptions.parse($0) },
            { _ = try GetSystemBootOptions.parse($0) }, { _ = try GetLANConfigurationParameters.parse($0) },
            { _ = try GetUserAccess.parse($0) }, { _ = try GetUserName.parse($0) }, { try SetUserName.parse($0) },
            { try SetUserPassword.parse($0) }, { try SetUserAccess.parse($0) },
        ]
        let fullData = [UInt8](repeating: 0x01, count: 20)
        for parse in parsers {
            let bad = IPMIResponse(netFn: 0x07, command: 0, completionCode: IPMICompletionCode.insufficientPrivilege, data: fullData)
            #expect(throws: IPMICommandError.self) { try parse(bad) }
        }
        #expect(IPMICompletionCode.describe(IPMICompletionCode.invalidCommand) == "invalid command")
        #expect(IPMICompletionCode.describe(IPMICompletionCode.invalidDataField) == "invalid data field in request")
        #expect(IPMICompletionCode.describe(0x81) == "command-specific completion code")
    }

    @Test("Get Channel Authentication Capabilities response")
    func channelAuthCaps() throws {
        let request = GetChannelAuthenticationCapabilities.request()
        #expect(request.netFn == 0x06 && request.command == 0x38)
        // Channel 1, v2.0 extended + MD5 + none, non-null user names, supports v1.5 and v2.0, no OEM.
        let caps = try GetChannelAuthenticationCapabilities.parse(Self.ok(request, [0x01, 0x85, 0x04, 0x03, 0, 0, 0, 0]))
        #expect(caps.channel == 1)
        #expect(caps.supportsIPMIv2)
        #expect(caps.supportsIPMIv15)
        #expect(caps.authTypeMD5 && caps.authTypeNone && !caps.authTypeMD2)
        #expect(caps.nonNullUserNamesEnabled && !caps.anonymousLoginEnabled && !caps.kgIsSet)
        let legacy = try GetChannelAuthenticationCapabilities.parse(Self.ok(request, [0x01, 0x15, 0x24, 0x00, 0, 0, 0, 0]))
        #expect(!legacy.supportsIPMIv2)
        #expect(legacy.kgIsSet)
        #expect(throws: IPMICommandError.self) {
            try GetChannelAuthenticationCapabilities.parse(Self.ok(request, [0x01, 0x85]))
        }
    }

    @Test("Get Channel Cipher Suites: paging and records")
    func cipherSuites() throws {
        #expect(GetChannelCipherSuites.request(listIndex: 2).data == [0x0E, 0x00, 0x82])
        // A typical BMC list: suites 1, 2, 3, 17 and an OEM suite, over two pages.
        let records = [UInt8](hex: "c00101 40 80  c00201 41 80  c00301 41 81  c01103 44 81  c1 30 a2 02 00 01 41 81")
        let page0 = Array(records.prefix(16))
        let page1 = Array(records.dropFirst(16))
        let first = try GetChannelCipherSuites.parse(Self.ok(GetChannelCipherSuites.request(listIndex: 0), [0x01] + page0))
        #expect(first.count == GetChannelCipherSuites.pageSize)
        let second = try GetChannelCipherSuites.parse(Self.ok(GetChannelCipherSuites.request(listIndex: 1), [0x01] + page1))
        #expect(second.count < GetChannelCipherSuites.pageSize)
        let ids = GetChannelCipherSuites.suiteIDs(fromRecords: first + second)
        #expect(ids == [1, 2, 3, 17])
        #expect(IPMICipherSuite.preferred(from: ids) == .suite17)
        let all = GetChannelCipherSuites.cipherSuiteRecords(from: first + second)
        #expect(all.count == 5)
        #expect(all[3] == CipherSuiteRecord(id: 17, authenticationAlgorithms: [3], integrityAlgorithms: [4], confidentialityAlgorithms: [1]))
        #expect(all[4].oemIANA == 0x0002A2)
        #expect(all[4].id == 0x30)
        #expect(GetChannelCipherSuites.suiteIDs(fromRecords: [0xC0]) == [])
        #expect(throws: IPMICommandError.self) {
            try GetChannelCipherSuites.parse(Self.ok(GetChannelCipherSuites.request(listIndex: 0), [1] + records))
        }
    }

    @Test("Set Session Privilege Level and Close Session")
    func sessionCommands() throws {
        let request = SetSessionPrivilegeLevel.request(.administrator)
        #expect(request.netFn == 0x06 && request.command == 0x3B && request.data == [0x04])
        #expect(try SetSessionPrivilegeLevel.parse(Self.ok(request, [0x04])) == .administrator)
        #expect(throws: IPMICommandError.self) { try SetSessionPrivilegeLevel.parse(Self.ok(request, [0x09])) }
        let close = CloseSession.request(managedSystemSessionID: 0x1234_5678)
        #expect(close.command == 0x3C && close.data == [0x78, 0x56, 0x34, 0x12])
        try CloseSession.parse(Self.ok(close, []))
    }

    @Test("Get Device ID decodes BCD minor, IPMI version and 20-bit manufacturer")
    func deviceID() throws {
        let request = GetDeviceID.request()
        let data = [UInt8](hex: "20 81 02 45 02 bf 57 01 00 43 0b")
        let id = try GetDeviceID.parse(Self.ok(request, data))
        #expect(id.deviceID == 0x20)
        #expect(id.deviceRevision == 1 && id.providesDeviceSDRs)
        #expect(id.firmwareMajor == 2 && id.firmwareMinor == 45)
        #expect(id.ipmiVersion == "2.0")
        #expect(id.manufacturerID == 343)  // Intel
        #expect(id.productID == 0x0B43)
        #expect(id.auxiliaryFirmwareRevision == nil)
        var v15 = data
        v15[4] = 0x51
        #expect(try GetDeviceID.parse(Self.ok(request, v15)).ipmiVersion == "1.5")
        #expect(throws: IPMICommandError.self) { try GetDeviceID.parse(Self.ok(request, Array(data.prefix(10)))) }
    }

    @Test("Get Chassis Status and Chassis Control")
    func chassis() throws {
        let status = try GetChassisStatus.parse(Self.ok(GetChassisStatus.request(), [0x41, 0x10, 0x00]))
        #expect(status.powerOn && !status.overload && !status.powerFault)
        #expect(status.restorePolicy == .alwaysOn)
        #expect(status.lastPowerEvent == 0x10)
        #expect(status.frontPanel == nil)
        let faulty = try GetChassisStatus.parse(Self.ok(GetChassisStatus.request(), [0x3E, 0, 0, 0x70]))
        #expect(!faulty.powerOn && faulty.overload && faulty.interlock && faulty.powerFault && faulty.controlFault)
        #expect(faulty.restorePolicy == .restorePrevious)
        #expect(faulty.frontPanel == 0x70)
        for action in ChassisControlAction.allCases {
            let request = ChassisControl.request(action)
            #expect(request.netFn == 0x00 && request.command == 0x02 && request.data == [action.rawValue])
        }
        #expect(ChassisControlAction.softShutdown.rawValue == 5)
    }

    @Test("boot flags: 00 08 05 A0 04 00 00 00 is a one-time UEFI PXE boot, E0 persistent")
    func bootFlags() throws {
        let once = SetSystemBootOptions.bootFlags(BootFlags(valid: true, persistent: false, efi: true, device: .pxe))
        #expect([once.netFn, once.command] + once.data == [UInt8](hex: "00 08 05 a0 04 00 00 00"))
        let persistent = BootFlags(valid: true, persistent: true, efi: true, device: .pxe)
        #expect(persistent.encode() == [UInt8](hex: "e0 04 00 00 00"))
        for device in BootFlagsDevice.allCases {
            for bits in 0..<8 {
                let flags = BootFlags(valid: bits & 1 != 0, persistent: bits & 2 != 0, efi: bits & 4 != 0, device: device)
                #expect(try BootFlags.decode(flags.encode()) == flags)
            }
        }
        #expect(SetSystemBootOptions.setInProgress(.setInProgress).data == [0x00, 0x01])
        #expect(SetSystemBootOptions.setInProgress(.commitWrite).data == [0x00, 0x02])
        #expect(SetSystemBootOptions.setInProgress(.setComplete).data == [0x00, 0x00])
        #expect(SetSystemBootOptions.clearBootInfoAcknowledge().data == [0x04, 0x01, 0x01])
        #expect(SetSystemBootOptions.request(parameter: 5, data: [], markInvalid: true).data == [0x85])
        #expect(throws: IPMICommandError.self) { try BootFlags.decode([0x80, 0x34]) }
    }

    @Test("Get System Boot Options parses version, validity and data")
    func getBootOptions() throws {
        let request = GetSystemBootOptions.bootFlagsRequest()
        #expect(request.netFn == 0x00 && request.command == 0x09 && request.data == [0x05, 0x00, 0x00])
        let response = Self.ok(request, [UInt8](hex: "01 05 a0 04 00 00 00"))
        let parameter = try GetSystemBootOptions.parse(response)
        #expect(parameter == BootOptionParameter(version: 1, parameter: 5, valid: true, data: [0xA0, 0x04, 0, 0, 0]))
        #expect(try GetSystemBootOptions.parseBootFlags(response) == BootFlags(device: .pxe))
        let locked = try GetSystemBootOptions.parse(Self.ok(request, [0x01, 0x85, 0xE0, 0x08, 0, 0, 0]))
        #expect(!locked.valid && locked.parameter == 5)
        #expect(throws: IPMICommandError.self) {
            try GetSystemBootOptions.parseBootFlags(Self.ok(request, [0x01, 0x04, 0x01, 0x01]))
        }
    }

    @Test("Get LAN Configuration Parameters: IP address and RMCP port")
    func lanParameters() throws {
        let ipRequest = GetLANConfigurationParameters.request(channel: 1, parameter: GetLANConfigurationParameters.ipAddressParameter)
        #expect(ipRequest.netFn == 0x0C && ipRequest.command == 0x02 && ipRequest.data == [0x01, 0x03, 0x00, 0x00])
        #expect(try GetLANConfigurationParameters.ipAddress(from: Self.ok(ipRequest, [0x11, 192, 168, 1, 42])) == "192.168.1.42")
        let portRequest = GetLANConfigurationParameters.request(channel: 1, parameter: 8)
        #expect(try GetLANConfigurationParameters.primaryRMCPPort(from: Self.ok(portRequest, [0x11, 0x6F, 0x02])) == 623)
        #expect(throws: IPMICommandError.self) {
            try GetLANConfigurationParameters.ipAddress(from: Self.ok(ipRequest, [0x11, 192, 168]))
        }
        #expect(GetLANConfigurationParameters.request(channel: 1, parameter: 3, revisionOnly: true).data[0] == 0x81)
    }

    @Test("user commands: Set User Access 91 id 04, names, passwords, access summary")
    func users() throws {
        let access = try SetUserAccess.request(channel: 1, userID: 3, privilegeLimit: 4)
        #expect(access.netFn == 0x06 && access.command == 0x43 && access.data == [0x91, 0x03, 0x04])
        #expect(try SetUserAccess.request(channel: 1, userID: 3, privilege: .administrator) == access)
        #expect(
            try SetUserAccess.request(
                channel: 2, userID: 5, privilegeLimit: SetUserAccess.noAccess, ipmiMessaging: false, linkAuthentication: true,
                callbackOnly: true, sessionLimit: 2
            ).data == [0xE2, 0x05, 0x0F, 0x02])
        #expect(throws: IPMICommandError.self) { try SetUserAccess.request(channel: 1, userID: 0, privilegeLimit: 4) }

        let name = try SetUserName.request(userID: 3, userName: "anvil")
        #expect(name.command == 0x45 && name.data.count == 17)
        #expect(name.data == [0x03] + Array("anvil".utf8) + [UInt8](repeating: 0, count: 11))
        #expect(throws: IPMICommandError.malformed("user name longer than 16 bytes")) {
            try SetUserName.request(userID: 3, userName: String(repeating: "x", count: 17))
        }
        let nameResponse = Self.ok(GetUserName.request(userID: 3), Array("anvil".utf8) + [UInt8](repeating: 0, count: 11))
        #expect(GetUserName.request(userID: 3).data == [0x03])
        #expect(try GetUserName.parse(nameResponse) == Array("anvil".utf8))

        let set16 = try SetUserPassword.request(userID: 3, operation: .setPassword, password: Array("secret".utf8))
        #expect(set16.command == 0x47 && set16.data.count == 18 && set16.data[0] == 0x03 && set16.data[1] == 0x02)
        let set20 = try SetUserPassword.request(userID: 3, operation: .setPassword, password: Array("secret".utf8), size: .twenty)
        #expect(set20.data.count == 22 && set20.data[0] == 0x83)
        let long = try SetUserPassword.request(userID: 3, operation: .testPassword, password: [UInt8](repeating: 0x61, count: 18))
        #expect(long.data.count == 22 && long.data[0] == 0x83 && long.data[1] == 0x03)
        #expect(try SetUserPassword.request(userID: 3, operation: .enableUser).data.prefix(2) == [0x03, 0x01])
        #expect(try SetUserPassword.request(userID: 3, operation: .disableUser).data[1] == 0x00)
        #expect(throws: IPMICommandError.malformed("password longer than 20 bytes")) {
            try SetUserPassword.request(userID: 3, operation: .setPassword, password: [UInt8](repeating: 0x61, count: 21))
        }
        #expect(throws: IPMICommandError.self) {
            try SetUserPassword.request(userID: 3, operation: .setPassword, password: [UInt8](repeating: 0x61, count: 17), size: .sixteen)
        }

        let summary = try GetUserAccess.parse(Self.ok(GetUserAccess.request(channel: 1, userID: 2), [0x0A, 0x42, 0x01, 0x14]))
        #expect(GetUserAccess.request(channel: 1, userID: 2).data == [0x01, 0x02])
        #expect(summary.maximumUserIDs == 10 && summary.enabledUserIDs == 2 && summary.userIDEnableStatus == 1)
        #expect(summary.fixedNameUserIDs == 1)
        #expect(summary.ipmiMessaging && !summary.linkAuthentication && !summary.callbackOnly)
        #expect(summary.privilegeLimit == 4)
    }
}
