import AnvilIPMI
import AnvilPower

/// Enrolling a BMC user (what Sidero's agent does in band with ipmitool): find the slot holding
/// that name or the first free one, set name and password, grant the privilege on the LAN
/// channel with IPMI messaging, enable the user.
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

/// The user-table slot an enrolment used.
public struct IPMIUserSlot: Sendable, Hashable {
    public var userID: UInt8
    /// The slot already held this user name, so it was reused rather than named.
    public var existed: Bool

    public init(userID: UInt8, existed: Bool) {
        self.userID = userID
        self.existed = existed
    }
}

/// Runs ``IPMIUserSetup`` over any ``IPMICommandExecutor``: the same commands, in the same order,
/// out of band (bmcd) and in band (the agent).
public struct IPMIUserEnrolment: Sendable {
    /// Slot 1 is the anonymous (null-name) user: never scanned, never taken.
    public static let firstScannedUserID: UInt8 = 2
    /// User IDs are six bits wide.
    public static let highestUserID: UInt8 = 63
    /// What several BMCs (and ipmitool) show for a cleared slot.
    public static let emptyUserPlaceholder = "(Empty User)"

    public let executor: any IPMICommandExecutor

    public init(executor: any IPMICommandExecutor) {
        self.executor = executor
    }

    /// Sets the user up and returns its slot. The name is written only into a new slot; the
    /// password always, because it cannot be read back from the BMC.
    public func enrol(_ setup: IPMIUserSetup) async throws(PowerError) -> IPMIUserSlot {
        guard !setup.user.isEmpty, setup.user.utf8.count <= 16 else {
            throw .invalidConfiguration("user name must be 1-16 bytes, not \(setup.user.utf8.count)")
        }
        guard !setup.password.isEmpty, setup.password.utf8.count <= 20 else {
            throw .invalidConfiguration("password must be 1-20 bytes, not \(setup.password.utf8.count)")
        }
        let slot = try await slot(for: setup)
        let userID = slot.userID
        if !slot.existed {
            let name = try Self.request("Set User Name") { () throws(IPMICommandError) in
                try SetUserName.request(userID: userID, userName: setup.user)
            }
            _ = try await executor.executeChecked(name, name: "Set User Name")
        }
        let password = try Self.request("Set User Password") { () throws(IPMICommandError) in
            try SetUserPassword.request(userID: userID, operation: .setPassword, password: Array(setup.password.utf8))
        }
        _ = try await executor.executeChecked(password, name: "Set User Password")
        let access = try Self.request("Set User Access") { () throws(IPMICommandError) in
            try SetUserAccess.request(
                channel: setup.channel, userID: userID, privilege: setup.privilege, ipmiMessaging: true,
                linkAuthentication: false, callbackOnly: false)
        }
        _ = try await executor.executeChecked(access, name: "Set User Access")
        let enable = try Self.request("Set User Password (enable)") { () throws(IPMICommandError) in
            try SetUserPassword.request(userID: userID, operation: .enableUser, password: [])
        }
        _ = try await executor.executeChecked(enable, name: "Set User Password (enable)")
        return slot
    }

    /// The slot already named `user`, else the first free one (a Get User Name error, an empty
    /// name or "(Empty User)"), scanning 2 … the table size that Get User Access reports.
    public func findSlot(user: String, channel: UInt8 = 1) async throws(PowerError) -> IPMIUserSlot {
        let maximum = try await executor.executeParsed(
            GetUserAccess.request(channel: channel, userID: 1), name: "Get User Access") { try GetUserAccess.parse($0) }
            .maximumUserIDs
        let wanted = Array(user.utf8)
        var firstFree: UInt8?
        let last = min(maximum, Self.highestUserID)
        if last >= Self.firstScannedUserID {
            for userID in Self.firstScannedUserID...last {
                let response = try await executor.execute(GetUserName.request(userID: userID), name: "Get User Name")
                // Some BMCs answer "invalid data" for slots that were never used.
                guard response.completionCode == IPMICompletionCode.success, let name = try? GetUserName.parse(response) else {
                    if firstFree == nil { firstFree = userID }
                    continue
                }
                if name == wanted { return IPMIUserSlot(userID: userID, existed: true) }
                if firstFree == nil && Self.isFree(name) { firstFree = userID }
            }
        }
        guard let firstFree else {
            throw .notSupported(
                "no free user slot on \(executor.target) for \(user): slots \(Self.firstScannedUserID)-\(maximum) are all taken")
        }
        return IPMIUserSlot(userID: firstFree, existed: false)
    }

    private func slot(for setup: IPMIUserSetup) async throws(PowerError) -> IPMIUserSlot {
        guard let fixed = setup.userID else { return try await findSlot(user: setup.user, channel: setup.channel) }
        guard (Self.firstScannedUserID...Self.highestUserID).contains(fixed) else {
            throw .invalidConfiguration("user ID must be 2-63 (1 is the anonymous user), not \(fixed)")
        }
        return IPMIUserSlot(userID: fixed, existed: false)
    }

    static func isFree(_ name: [UInt8]) -> Bool {
        name.isEmpty || name == Array(emptyUserPlaceholder.utf8)
    }

    private static func request(
        _ name: String, _ build: () throws(IPMICommandError) -> IPMIRequest
    ) throws(PowerError) -> IPMIRequest {
        do {
            return try build()
        } catch {
            throw .invalidConfiguration("\(name): \(error)")
        }
    }
}
