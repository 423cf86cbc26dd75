import AnvilIPMI

/// An established RMCP+ session: its IDs, keys and the two sequence spaces. Outbound session
/// sequence numbers start at 1 and never repeat (a resend gets a new one); inbound ones pass the
/// replay window. `rqSeq` (the 6-bit request sequence inside the IPMI message) matches answers
/// to requests.
struct IPMISessionState: Sendable {
    let suite: IPMICipherSuite
    let keys: RMCPPlusSessionKeys
    let consoleSessionID: UInt32
    let managedSystemSessionID: UInt32
    let privilege: IPMIPrivilege
    private(set) var outboundSequence: UInt32 = 0
    private(set) var requestSequence: UInt8 = 0
    var inboundWindow = IPMISequenceWindow()

    init(suite: IPMICipherSuite, keys: RMCPPlusSessionKeys, consoleSessionID: UInt32, managedSystemSessionID: UInt32, privilege: IPMIPrivilege) {
        self.suite = suite
        self.keys = keys
        self.consoleSessionID = consoleSessionID
        self.managedSystemSessionID = managedSystemSessionID
        self.privilege = privilege
    }

    mutating func nextOutboundSequence() -> UInt32 {
        outboundSequence = outboundSequence == UInt32.max ? 1 : outboundSequence + 1
        return outboundSequence
    }

    mutating func nextRequestSequence() -> UInt8 {
        requestSequence = (requestSequence + 1) & 0x3F
        return requestSequence
    }
}
