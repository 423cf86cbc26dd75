import AnvilIPMI

/// In-session commands: which a session's privilege allows (IPMI v2.0 spec Appendix G) and which
/// handler answers; anything unknown is 0xC1 "invalid command".
extension BMCMachine {
    mutating func execute(
        _ request: IPMIRequest, privilege: UInt8, chassis: BMCChassisView, now: ContinuousClock.Instant, effects: inout [BMCChassisEffect]
    ) -> IPMIResponse {
        let user = IPMIPrivilege.user.rawValue, op = IPMIPrivilege.operator.rawValue, admin = IPMIPrivilege.administrator.rawValue
        func allowed(_ needed: UInt8, _ body: () -> IPMIResponse) -> IPMIResponse {
            privilege >= needed ? body() : IPMIResponse(answering: request, completionCode: IPMICompletionCode.insufficientPrivilege)
        }
        switch (request.netFn, request.command) {
        case (IPMINetFn.app, GetDeviceID.command):
            return allowed(user) { IPMIResponse(answering: request, data: Self.deviceID) }
        case (IPMINetFn.app, Self.getSystemGUID):
            return IPMIResponse(answering: request, data: guid)
        case (IPMINetFn.app, GetChannelAuthenticationCapabilities.command):
            return authenticationCapabilities(request)
        case (IPMINetFn.app, GetChannelCipherSuites.command):
            return cipherSuites(request)
        case (IPMINetFn.app, Self.getChannelInfo):
            return allowed(user) { channelInfo(request) }
        case (IPMINetFn.chassis, GetChassisStatus.command):
            return allowed(user) { chassisStatus(request, chassis: chassis, now: now) }
        case (IPMINetFn.chassis, ChassisControl.command):
            return allowed(op) { chassisControl(request, chassis: chassis, now: now, effects: &effects) }
        case (IPMINetFn.chassis, SetSystemBootOptions.command):
            return allowed(op) { setBootOption(request, chassis: chassis, effects: &effects) }
        case (IPMINetFn.chassis, GetSystemBootOptions.command):
            return allowed(op) { bootOption(request, chassis: chassis) }
        case (IPMINetFn.app, GetUserAccess.command):
            return allowed(op) { userAccess(request) }
        case (IPMINetFn.app, SetUserAccess.command):
            return allowed(admin) { setUserAccess(request) }
        case (IPMINetFn.app, GetUserName.command):
            return allowed(op) { userName(request) }
        case (IPMINetFn.app, SetUserName.command):
            return allowed(admin) { setUserName(request) }
        case (IPMINetFn.app, SetUserPassword.command):
            return allowed(admin) { setUserPassword(request) }
        case (IPMINetFn.transport, GetLANConfigurationParameters.command):
            return allowed(op) { lanParameter(request) }
        default:
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidCommand)
        }
    }

    /// Device ID 0x20 rev 1, firmware 2.15, IPMI 2.0, chassis + bridge + IPMB + FRU + SEL + SDR
    /// + sensor device, manufacturer 343 (Intel), product 0x1234 (spec §20.1, table 20-2).
    static let deviceID: [UInt8] = [0x20, 0x01, 0x02, 0x15, 0x02, 0xBF, 0x57, 0x01, 0x00, 0x34, 0x12]

    /// Get Channel Info, App 0x06/0x42 (spec §22.24): what `ipmitool lan print` checks first.
    static let getChannelInfo: UInt8 = 0x42

    /// Channel 1 (or 0x0E, "this one"): 802.3 LAN, IPMB 1.0, multi-session, IPMI's own IANA 7154.
    func channelInfo(_ request: IPMIRequest) -> IPMIResponse {
        guard let channel = request.data.first.map({ $0 & 0x0F }), channel == 1 || channel == 0x0E else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidDataField)
        }
        let sessions = UInt8(min(sessions.count, 0x3F))
        return IPMIResponse(answering: request, data: [0x01, 0x04, 0x01, 0x80 | sessions, 0xF2, 0x1B, 0x00, 0x00, 0x00])
    }

    /// Get LAN Configuration Parameters on channel 1 (spec §23.2, table 23-4): what `ipmitool lan
    /// print` and Anvil's `bmc.info` read. Unknown parameters: 0x80 "parameter not supported".
    func lanParameter(_ request: IPMIRequest) -> IPMIResponse {
        guard request.data.count >= 2 else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.requestDataLengthInvalid)
        }
        let revision: UInt8 = 0x11
        if request.data[0] & 0x80 != 0 { return IPMIResponse(answering: request, data: [revision]) }
        let data: [UInt8]
        switch request.data[1] {
        case 0: data = [0x00]  // set complete
        case 1: data = [0x14]  // auth types: MD5, password
        case GetLANConfigurationParameters.ipAddressParameter: data = lanAddress
        case 4: data = [0x01]  // static address
        case 5: data = [0x02, 0x00, 0x7F, 0x00, UInt8(lanPort >> 8), UInt8(lanPort & 0xFF)]  // a locally administered MAC from the port
        case 6: data = [255, 0, 0, 0]
        case GetLANConfigurationParameters.primaryRMCPPortParameter: data = [UInt8(lanPort & 0xFF), UInt8(lanPort >> 8)]
        case 12: data = [127, 0, 0, 1]
        default: return IPMIResponse(answering: request, completionCode: 0x80)
        }
        return IPMIResponse(answering: request, data: [revision] + data)
    }
}
