/// Session and user privilege levels, 1 callback … 5 OEM (IPMI v2.0 spec §6.8).
public enum IPMIPrivilege: UInt8, Sendable, Hashable, CaseIterable {
    case callback = 1
    case user = 2
    case `operator` = 3
    case administrator = 4
    case oem = 5
}
