/// Generic completion codes and their meanings (IPMI v2.0 spec §5.2, table 5-2).
public enum IPMICompletionCode {
    public static let success: UInt8 = 0x00
    public static let nodeBusy: UInt8 = 0xC0
    public static let invalidCommand: UInt8 = 0xC1
    public static let invalidCommandForLUN: UInt8 = 0xC2
    public static let timeout: UInt8 = 0xC3
    public static let outOfSpace: UInt8 = 0xC4
    public static let invalidReservation: UInt8 = 0xC5
    public static let requestDataTruncated: UInt8 = 0xC6
    public static let requestDataLengthInvalid: UInt8 = 0xC7
    public static let requestDataFieldLengthLimitExceeded: UInt8 = 0xC8
    public static let parameterOutOfRange: UInt8 = 0xC9
    public static let cannotReturnRequestedBytes: UInt8 = 0xCA
    public static let requestedDataNotPresent: UInt8 = 0xCB
    public static let invalidDataField: UInt8 = 0xCC
    public static let illegalForSensorOrRecordType: UInt8 = 0xCD
    public static let responseCouldNotBeProvided: UInt8 = 0xCE
    public static let duplicatedRequest: UInt8 = 0xCF
    public static let sdrRepositoryInUpdateMode: UInt8 = 0xD0
    public static let firmwareUpdateMode: UInt8 = 0xD1
    public static let bmcInitializationInProgress: UInt8 = 0xD2
    public static let destinationUnavailable: UInt8 = 0xD3
    public static let insufficientPrivilege: UInt8 = 0xD4
    public static let notSupportedInPresentState: UInt8 = 0xD5
    public static let subFunctionDisabled: UInt8 = 0xD6
    public static let unspecifiedError: UInt8 = 0xFF

    public static func describe(_ code: UInt8) -> String {
        switch code {
        case 0x00: return "command completed normally"
        case 0xC0: return "node busy"
        case 0xC1: return "invalid command"
        case 0xC2: return "command invalid for given LUN"
        case 0xC3: return "timeout while processing command"
        case 0xC4: return "out of space"
        case 0xC5: return "reservation canceled or invalid reservation ID"
        case 0xC6: return "request data truncated"
        case 0xC7: return "request data length invalid"
        case 0xC8: return "request data field length limit exceeded"
        case 0xC9: return "parameter out of range"
        case 0xCA: return "cannot return number of requested data bytes"
        case 0xCB: return "requested sensor, data, or record not present"
        case 0xCC: return "invalid data field in request"
        case 0xCD: return "command illegal for specified sensor or record type"
        case 0xCE: return "command response could not be provided"
        case 0xCF: return "cannot execute duplicated request"
        case 0xD0: return "SDR repository in update mode"
        case 0xD1: return "device in firmware update mode"
        case 0xD2: return "BMC initialization in progress"
        case 0xD3: return "destination unavailable"
        case 0xD4: return "insufficient privilege level"
        case 0xD5: return "command not supported in present state"
        case 0xD6: return "command sub-function disabled or unavailable"
        case 0xFF: return "unspecified error"
        case 0x01...0x7E: return "OEM completion code"
        case 0x80...0xBE: return "command-specific completion code"
        default: return "reserved completion code"
        }
    }
}
