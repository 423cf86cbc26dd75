import AnvilIPMI

/// One slot of a simulated BMC's user table (IPMI v2.0 spec §22.26–22.30).
public struct BMCUser: Sendable, Equatable {
    /// At most 16 bytes; empty for an unused slot and for user 1, the anonymous user.
    public var name: [UInt8]
    /// At most 20 bytes, trailing zeros dropped: HMAC zero-pads its key, so the 16- and 20-byte
    /// forms of one password are the same key (see RAKPKeyExchange).
    public var password: [UInt8]
    public var enabled: Bool
    public var ipmiMessaging: Bool
    /// 1 callback … 4 administrator, 0x0F no access.
    public var privilegeLimit: UInt8

    public init(
        name: [UInt8] = [], password: [UInt8] = [], enabled: Bool = false, ipmiMessaging: Bool = false, privilegeLimit: UInt8 = 0x0F
    ) {
        self.name = name
        self.password = BMCUser.trimmed(password)
        self.enabled = enabled
        self.ipmiMessaging = ipmiMessaging
        self.privilegeLimit = privilegeLimit
    }

    static func trimmed(_ password: [UInt8]) -> [UInt8] {
        var bytes = password
        while bytes.last == 0 { bytes.removeLast() }
        return bytes
    }
}

/// The user table: slot 1 the disabled anonymous user, slot 2 the configured administrator, the
/// rest empty, so Anvil's enrolment (IPMIUserEnrolment) finds a free slot as on real hardware.
public struct BMCUserTable: Sendable, Equatable {
    /// Ten slots, a common size on real BMCs; Get User Access reports it.
    public static let defaultSize: UInt8 = 10
    public private(set) var users: [BMCUser]

    public init(user: String, password: String, size: UInt8 = BMCUserTable.defaultSize) {
        users = Array(repeating: BMCUser(), count: Int(max(size, 2)))
        users[1] = BMCUser(
            name: Array(user.utf8), password: Array(password.utf8), enabled: true, ipmiMessaging: true,
            privilegeLimit: IPMIPrivilege.administrator.rawValue)
    }

    public var size: UInt8 { UInt8(users.count) }

    /// User IDs are 1-based.
    public subscript(id: UInt8) -> BMCUser? {
        get { id >= 1 && Int(id) <= users.count ? users[Int(id) - 1] : nil }
        set {
            guard id >= 1, Int(id) <= users.count, let newValue else { return }
            users[Int(id) - 1] = newValue
        }
    }

    /// The enabled user a RAKP 1 names, if it may log in over LAN.
    public func loginUser(named name: [UInt8]) -> BMCUser? {
        users.first { $0.name == name && $0.enabled && $0.ipmiMessaging && $0.privilegeLimit != SetUserAccess.noAccess }
    }

    var enabledCount: Int { users.filter(\.enabled).count }
}
