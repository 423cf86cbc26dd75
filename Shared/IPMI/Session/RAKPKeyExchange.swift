/// All RAKP maths for one handshake (spec §13.31–13.32); pure functions of its inputs.
///
/// The same values serve both ends: a console verifies RAKP 2 and RAKP 4 and sends RAKP 3; a BMC
/// (or a test double of one) does the reverse.
///
/// KUID, the HMAC key of RAKP 2 and RAKP 3 (and of the SIK without a BMC key), is the user's password
/// bytes as given. BMCs store passwords as a zero-padded 20-byte field and ipmitool keys its HMACs with
/// that padded buffer (`lanplus_rakp2_hmac_matches`: `session->authcode`, `IPMI_AUTHCODE_BUFFER_SIZE`),
/// OpenIPMI's ipmi_sim and OpenBMC likewise (20-byte `user->pw` / `userKey`), while FreeIPMI passes the
/// password at its own length (`k_uid_len`). Both are the same key: HMAC zero-pads any key shorter than
/// its 64-byte block, so trailing zeros change nothing for SHA-1 and SHA-256. The vector script checks it.
public struct RAKPKeyExchange: Sendable {
    public let suite: IPMICipherSuite
    private let password: [UInt8]
    private let kg: [UInt8]?
    public let userName: [UInt8]
    public let role: UInt8
    public let consoleSessionID: UInt32
    public let managedSystemSessionID: UInt32
    public let consoleRandom: [UInt8]
    public let managedSystemRandom: [UInt8]
    public let managedSystemGUID: [UInt8]

    /// `role` and `userName` exactly as sent in RAKP 1. `kg` is the BMC key for two-key logins; nil, empty
    /// or all zeros means none, and the password keys the SIK.
    public init(
        suite: IPMICipherSuite, password: [UInt8], kg: [UInt8]? = nil, userName: [UInt8], role: UInt8,
        consoleSessionID: UInt32, managedSystemSessionID: UInt32, consoleRandom: [UInt8], managedSystemRandom: [UInt8],
        managedSystemGUID: [UInt8]
    ) {
        self.suite = suite
        self.password = password
        self.kg = kg
        self.userName = userName
        self.role = role
        self.consoleSessionID = consoleSessionID
        self.managedSystemSessionID = managedSystemSessionID
        self.consoleRandom = consoleRandom
        self.managedSystemRandom = managedSystemRandom
        self.managedSystemGUID = managedSystemGUID
    }

    /// Role ‖ ULen ‖ UName, which ends the RAKP 2, RAKP 3 and SIK inputs.
    private var roleAndName: [UInt8] {
        [role, UInt8(truncatingIfNeeded: userName.count)] + userName
    }

    private func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        RMCPPlusCrypto.hmac(suite.authentication, key: key, data: data)
    }

    /// What the BMC must have sent in RAKP 2: HMAC_KUID(SIDm ‖ SIDc ‖ Rm ‖ Rc ‖ GUIDc ‖ role ‖ ULen ‖ UName).
    /// The client always verifies it (`rakp2Matches`).
    public func rakp2AuthCode() -> [UInt8] {
        let data =
            [UInt8].littleEndian(consoleSessionID) + [UInt8].littleEndian(managedSystemSessionID) + consoleRandom
            + managedSystemRandom + managedSystemGUID + roleAndName
        return hmac(key: password, data)
    }

    /// HMAC_KUID(Rc ‖ SIDm ‖ role ‖ ULen ‖ UName), sent in RAKP 3.
    public func rakp3AuthCode() -> [UInt8] {
        hmac(key: password, managedSystemRandom + [UInt8].littleEndian(consoleSessionID) + roleAndName)
    }

    /// SIK = HMAC_KG(Rm ‖ Rc ‖ role ‖ ULen ‖ UName), with KUID in place of an unset KG.
    public func sessionIntegrityKey() -> [UInt8] {
        let bmcKey = kg.flatMap { key in key.contains(where: { $0 != 0 }) ? key : nil }
        return hmac(key: bmcKey ?? password, consoleRandom + managedSystemRandom + roleAndName)
    }

    /// HMAC_SIK(Rm ‖ SIDc ‖ GUIDc) truncated to 12 bytes (suite 3) or 16 (suite 17), as RAKP 4 carries it.
    public func rakp4IntegrityCheckValue() -> [UInt8] {
        let data = consoleRandom + [UInt8].littleEndian(managedSystemSessionID) + managedSystemGUID
        return Array(hmac(key: sessionIntegrityKey(), data).prefix(suite.integrity.authCodeLength))
    }

    /// K1 = HMAC_SIK(0x01 × 20) and K2 = HMAC_SIK(0x02 × 20).
    ///
    /// The constants are 20 bytes for every suite, SHA-256 included: ipmitool (`lanplus_generate_k1/k2`:
    /// `CONST_1[20]`), FreeIPMI (`IPMI_KEY_CONSTANT_LENGTH 20`, despite a comment reading §13.32 as
    /// "digest length") and OpenBMC's phosphor-net-ipmid (`CONST_N_SIZE = 20`) all hash 20 bytes, so a
    /// 32-byte constant would fail against real suite-17 BMCs.
    public func sessionKeys() -> RMCPPlusSessionKeys {
        let sik = sessionIntegrityKey()
        return RMCPPlusSessionKeys(
            suite: suite,
            integrityKey: hmac(key: sik, [UInt8](repeating: 0x01, count: Self.keyConstantLength)),
            confidentialityKey: hmac(key: sik, [UInt8](repeating: 0x02, count: Self.keyConstantLength)))
    }

    static let keyConstantLength = 20

    /// Constant-time check of the BMC's RAKP 2 key exchange AuthCode.
    public func rakp2Matches(_ authCode: [UInt8]) -> Bool {
        ConstantTime.equal(rakp2AuthCode(), authCode)
    }

    /// Constant-time check of a console's RAKP 3 AuthCode (the BMC side).
    public func rakp3Matches(_ authCode: [UInt8]) -> Bool {
        ConstantTime.equal(rakp3AuthCode(), authCode)
    }

    /// Constant-time check of the BMC's RAKP 4 integrity check value.
    public func rakp4Matches(_ integrityCheckValue: [UInt8]) -> Bool {
        ConstantTime.equal(rakp4IntegrityCheckValue(), integrityCheckValue)
    }
}
