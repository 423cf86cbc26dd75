import AnvilIPMI
import AnvilPower

/// How BMC answers become the typed errors that reach the Server's status.
enum IPMIErrorMapping {
    /// A non-zero completion code of a command sent in a session.
    static func error(completionCode: UInt8, command: String, endpoint: IPMIEndpoint) -> PowerError {
        error(completionCode: completionCode, command: command, target: endpoint.address)
    }

    /// A non-zero completion code from any executor; `target` names where the command went.
    static func error(completionCode: UInt8, command: String, target: String) -> PowerError {
        let text = "\(command) on \(target): completion code 0x\(hex(completionCode)) (\(IPMICompletionCode.describe(completionCode)))"
        switch completionCode {
        case IPMICompletionCode.insufficientPrivilege: return .insufficientPrivilege(text)
        case IPMICompletionCode.invalidCommand, 0xC2 /* invalid for LUN */, IPMICompletionCode.notSupportedInPresentState:
            return .notSupported(text)
        default: return .protocolError(text)
        }
    }

    /// Throws the mapped error unless the completion code is success.
    static func check(_ command: String, _ response: IPMIResponse, target: String) throws(PowerError) {
        guard response.completionCode == IPMICompletionCode.success else {
            throw error(completionCode: response.completionCode, command: command, target: target)
        }
    }

    /// A decoding or parsing failure (or an error already typed) on the way back from `target`.
    static func error(_ error: any Error, step: String, target: String) -> PowerError {
        switch error {
        case let error as PowerError: error
        case let error as IPMIDecodeError: .protocolError("\(step): malformed answer from \(target): \(error)")
        case let error as IPMICommandError: .protocolError("\(step) on \(target): \(error)")
        default: .protocolError("\(step) on \(target): \(error)")
        }
    }

    /// A non-zero RMCP+ status in Open Session Response or RAKP 2/4.
    static func error(status: UInt8, step: String, endpoint: IPMIEndpoint) -> PowerError {
        let text = "\(step) refused by \(endpoint.address): status 0x\(hex(status)) (\(RMCPPlusStatusCode.describe(status)))"
        // Status codes: IPMI v2.0 table 13-15.
        switch status {
        case 0x02, 0x08, 0x0C, 0x0D, 0x0E, 0x0F:
            // invalid/inactive session ID, invalid name length, unauthorized name or GUID, bad ICV
            return .authenticationFailed(text)
        case 0x09, 0x0A:
            // invalid role, unauthorized role or privilege
            return .insufficientPrivilege(text)
        case 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11:
            // payload type or algorithms the BMC does not offer
            return .notSupported(text)
        case 0x01, 0x0B:
            // no free session slot: the BMC is there but cannot take us now
            return .unreachable(text)
        default:
            return .protocolError(text)
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
