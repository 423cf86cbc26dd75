/// Why a command's response could not be used: a non-zero completion code (IPMI v2.0 spec §5.2) or malformed data.
public enum IPMICommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The BMC answered `command` (its spec name) with a completion code other than 0x00.
    case completionCode(UInt8, command: String)
    /// Response data too short or inconsistent, or a request argument out of range.
    case malformed(String)

    public var description: String {
        switch self {
        case let .completionCode(code, command):
            return "\(command): \(hexByte(code)) \(IPMICompletionCode.describe(code))"
        case let .malformed(detail):
            return detail
        }
    }
}

extension IPMIResponse {
    /// The response data when the completion code is success and at least `minimumCount` bytes came back.
    func successData(command: String, minimumCount: Int = 0) throws(IPMICommandError) -> [UInt8] {
        guard completionCode == IPMICompletionCode.success else {
            throw .completionCode(completionCode, command: command)
        }
        guard data.count >= minimumCount else {
            throw .malformed("\(command): response data has \(data.count) bytes, needs \(minimumCount)")
        }
        return data
    }
}
