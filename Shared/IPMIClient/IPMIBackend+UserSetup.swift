import AnvilIPMI
import AnvilPower

/// Enrolling a BMC user remotely (what Sidero's agent does in-band with ipmitool): find the slot
/// holding that name or the first empty one, set name and password, grant the privilege on the
/// LAN channel with IPMI messaging, enable the user.
public struct IPMIUserSetup: Sendable, Hashable {
    public var user: String
    public var password: String
    /// A fixed slot; nil finds one.
    public var userID: UInt8?
    public var channel: UInt8
    public var privilege: IPMIPrivilege

    public init(user: String, password: String, userID: UInt8? = nil, channel: UInt8 = 1, privilege: IPMIPrivilege = .administrator) {
        self.user = user
        self.password = password
        self.userID = userID
        self.channel = channel
        self.privilege = privilege
    }
}

extension IPMIBackend {
    /// Returns the user ID that now holds the user.
    public func setupUser(_ setup: IPMIUserSetup) async throws(PowerError) -> UInt8 {
        guard !setup.user.isEmpty, setup.user.utf8.count <= 16 else {
            throw .invalidConfiguration("user name must be 1-16 bytes, not \(setup.user.utf8.count)")
        }
        guard !setup.password.isEmpty, setup.password.utf8.count <= 20 else {
            throw .invalidConfiguration("password must be 1-20 bytes, not \(setup.password.utf8.count)")
        }
        let userID = try await findSlot(setup)
        let name = try request("Set User Name") { try SetUserName.request(userID: userID, userName: setup.user) }
        try check("Set User Name", try await client.execute(name, name: "Set User Name"))
        let password = try request("Set User Password") {
            try SetUserPassword.request(userID: userID, operation: .setPassword, password: Array(setup.password.utf8))
        }
        try check("Set User Password", try await client.execute(password, name: "Set User Password"))
        let access = try request("Set User Access") {
            try SetUserAccess.request(
                channel: setup.channel, userID: userID, privilege: setup.privilege, ipmiMessaging: true, linkAuthentication: false, callbackOnly: false)
        }
        try check("Set User Access", try await client.execute(access, name: "Set User Access"))
        let enable = try request("Set User Password (enable)") {
            try SetUserPassword.request(userID: userID, operation: .enableUser, password: [])
        }
        try check("Set User Password (enable)", try await client.execute(enable, name: "Set User Password (enable)"))
        return userID
    }

    private func findSlot(_ setup: IPMIUserSetup) async throws(PowerError) -> UInt8 {
        if let fixed = setup.userID {
            guard (2...63).contains(fixed) else { throw .invalidConfiguration("user ID must be 2-63 (1 is the anonymous user), not \(fixed)") }
            return fixed
        }
        let summary = try await client.execute(GetUserAccess.request(channel: setup.channel, userID: 1), name: "Get User Access")
        let maximum = try parse("Get User Access", summary) { try GetUserAccess.parse($0) }.maximumUserIDs
        var firstEmpty: UInt8?
        for userID in UInt8(2)...max(2, min(maximum, 63)) {
            let response = try await client.execute(GetUserName.request(userID: userID), name: "Get User Name")
            guard response.completionCode == IPMICompletionCode.success, let name = try? GetUserName.parse(response) else {
                // Some BMCs answer "invalid data" for slots that were never used.
                if firstEmpty == nil { firstEmpty = userID }
                continue
            }
            if name == Array(setup.user.utf8) { return userID }
            if name.isEmpty && firstEmpty == nil { firstEmpty = userID }
        }
        guard let firstEmpty else {
            throw .notSupported("no free user slot on \(client.endpoint.address) (all \(maximum) are taken)")
        }
        return firstEmpty
    }

    private func request(_ name: String, _ build: () throws -> IPMIRequest) throws(PowerError) -> IPMIRequest {
        do {
            return try build()
        } catch {
            throw .invalidConfiguration("\(name): \(error)")
        }
    }
}
