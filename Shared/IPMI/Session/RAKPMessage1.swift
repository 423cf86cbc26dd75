/// RAKP Message 1, payload type 0x12: our random number Rm, the requested role and the user name (IPMI v2.0 spec §13.20, table 13-11).
///
/// tag ‖ 3 reserved ‖ managed system session ID (LE) ‖ Rm (16) ‖ role ‖ 2 reserved ‖ ULen ‖ UName (0–16).
public struct RAKPMessage1: Sendable, Hashable {
    public static let maximumUserNameLength = 16
    public static let randomLength = 16

    public var tag: UInt8
    public var managedSystemSessionID: UInt32
    /// Rm: 16 random bytes from the caller.
    public var consoleRandom: [UInt8]
    /// Requested privilege in bits 3:0; bit 4 set asks for a name-only user lookup.
    public var role: UInt8
    /// At most 16 bytes; the same bytes go into every RAKP HMAC.
    public var userName: [UInt8]

    public init(tag: UInt8, managedSystemSessionID: UInt32, consoleRandom: [UInt8], role: UInt8, userName: [UInt8]) {
        self.tag = tag
        self.managedSystemSessionID = managedSystemSessionID
        self.consoleRandom = consoleRandom
        self.role = role
        self.userName = userName
    }

    /// The role byte for a privilege, with the name-only lookup bit when asked.
    public static func role(_ privilege: IPMIPrivilege, nameOnlyLookup: Bool = true) -> UInt8 {
        privilege.rawValue | (nameOnlyLookup ? 0x10 : 0x00)
    }

    /// Rm is zero-padded or cut to 16 bytes and the name cut to 16, so the layout always holds;
    /// check lengths before building a handshake (the HMACs use the fields as given).
    public func encode() -> [UInt8] {
        let name = Array(userName.prefix(Self.maximumUserNameLength))
        var bytes: [UInt8] = [tag, 0x00, 0x00, 0x00]
        bytes.appendLittleEndian(managedSystemSessionID)
        bytes += Array(consoleRandom.prefix(Self.randomLength))
        bytes += [UInt8](repeating: 0, count: max(0, Self.randomLength - consoleRandom.count))
        bytes += [role, 0x00, 0x00, UInt8(name.count)]
        bytes += name
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMIDecodeError) -> RAKPMessage1 {
        var reader = ByteReader(bytes, context: "RAKP Message 1", offset: 0)
        let tag = try reader.readByte()
        try reader.skip(3)
        let managedSystemSessionID = try reader.readUInt32LE()
        let consoleRandom = try reader.readBytes(randomLength)
        let role = try reader.readByte()
        try reader.skip(2)
        let nameLength = Int(try reader.readByte())
        guard nameLength <= maximumUserNameLength else {
            throw .invalidField("RAKP Message 1 user name length \(nameLength) exceeds 16")
        }
        let userName = try reader.readBytes(nameLength)
        return RAKPMessage1(
            tag: tag, managedSystemSessionID: managedSystemSessionID, consoleRandom: consoleRandom, role: role,
            userName: userName)
    }
}
