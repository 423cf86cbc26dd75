import AnvilIPMI
import AnvilIPMIClient
import AnvilPower

/// A BMC as the in-band setup sees it: a LAN channel and a user table, answering the handful of
/// commands the setup sends and recording each one, so tests can check the exact sequence.
actor FakeUserTableBMC: IPMICommandExecutor {
    enum Slot: Sendable, Hashable {
        /// Never used: Get User Name answers "invalid data field" (0xCC), as many BMCs do.
        case neverUsed
        case named(String)
    }

    struct User: Sendable, Hashable {
        var name: String
        var password: [UInt8] = []
        var enabled = false
        /// Set User Access's first data byte and privilege, as last sent.
        var accessFlags: UInt8 = 0
        var privilege: UInt8 = 0
    }

    nonisolated let target = "fake-bmc"
    var maximumUsers: UInt8
    var slots: [UInt8: Slot]
    var users: [UInt8: User] = [:]
    var ip: [UInt8]
    /// Nil: parameter 8 answers "parameter not supported" (0x80).
    var port: UInt16?
    /// Commands answered with this completion code instead of being carried out.
    var failing: [UInt8: UInt8] = [:]
    private(set) var sent: [IPMIRequest] = []

    init(maximumUsers: UInt8 = 10, slots: [UInt8: Slot] = [:], ip: [UInt8] = [10, 0, 0, 9], port: UInt16? = 623) {
        self.maximumUsers = maximumUsers
        self.slots = slots
        self.ip = ip
        self.port = port
    }

    func fail(command: UInt8, with code: UInt8) { failing[command] = code }

    /// The slots 2 … maximum: never used unless listed; slot 1 is the anonymous user.
    func slot(_ userID: UInt8) -> Slot { slots[userID] ?? (userID == 1 ? .named("") : .neverUsed) }

    func execute(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        sent.append(request)
        if let code = failing[request.command] { return IPMIResponse(answering: request, completionCode: code) }
        let data = request.data
        switch (request.netFn, request.command) {
        case (IPMINetFn.transport, GetLANConfigurationParameters.command) where data.count == 4:
            switch data[1] {
            case 3: return IPMIResponse(answering: request, data: [0x11] + ip)
            case 8:
                guard let port else { return IPMIResponse(answering: request, completionCode: 0x80) }
                return IPMIResponse(answering: request, data: [0x11, UInt8(port & 0xFF), UInt8(port >> 8)])
            default: return IPMIResponse(answering: request, completionCode: 0x80)
            }
        case (IPMINetFn.app, GetUserAccess.command) where data.count == 2:
            let enabled = UInt8(users.values.filter(\.enabled).count)
            return IPMIResponse(answering: request, data: [0x40 | maximumUsers, enabled, 0x01, 0x00])
        case (IPMINetFn.app, GetUserName.command) where data.count == 1:
            guard case .named(let name) = slot(data[0]) else { return IPMIResponse(answering: request, completionCode: 0xCC) }
            let bytes = Array(name.utf8)
            return IPMIResponse(answering: request, data: bytes + [UInt8](repeating: 0, count: 16 - bytes.count))
        case (IPMINetFn.app, SetUserName.command) where data.count == 17:
            let name = String(decoding: data[1...].prefix { $0 != 0 }, as: UTF8.self)
            slots[data[0]] = .named(name)
            users[data[0], default: User(name: name)].name = name
            return IPMIResponse(answering: request)
        case (IPMINetFn.app, SetUserPassword.command) where data.count >= 2:
            let userID = data[0] & 0x3F
            guard case .named(let name) = slot(userID) else { return IPMIResponse(answering: request, completionCode: 0xCC) }
            switch data[1] & 0x03 {
            case 2: users[userID, default: User(name: name)].password = Array(data[2...].prefix { $0 != 0 })
            case 1: users[userID, default: User(name: name)].enabled = true
            default: break
            }
            return IPMIResponse(answering: request)
        case (IPMINetFn.app, SetUserAccess.command) where data.count >= 3:
            guard case .named(let name) = slot(data[1]) else { return IPMIResponse(answering: request, completionCode: 0xCC) }
            users[data[1], default: User(name: name)].accessFlags = data[0]
            users[data[1], default: User(name: name)].privilege = data[2]
            return IPMIResponse(answering: request)
        default:
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidCommand)
        }
    }
}

/// Recorded log lines (the setup's log sink is synchronous and non-sending).
final class LogLines {
    var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
