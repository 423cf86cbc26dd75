/// Set User Password, App 0x06/0x47: set, test, enable or disable a user's password (IPMI v2.0 spec §22.30).
///
/// Data: bit 7 (20-byte form) | user ID ‖ operation (bits 1:0) ‖ password, NUL-padded to 16 or 20 bytes.
/// Like ipmitool, the password field is always sent, zero for enable and disable.
public enum SetUserPassword {
    public static let name = "Set User Password"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x47

    /// Completion code for a failed test: the password does not match.
    public static let testFailedWrongPassword: UInt8 = 0x80
    /// Completion code for a failed test: stored with the other size.
    public static let testFailedWrongSize: UInt8 = 0x81

    public enum Operation: UInt8, Sendable, Hashable, CaseIterable {
        case disableUser = 0
        case enableUser = 1
        case setPassword = 2
        case testPassword = 3
    }

    public enum PasswordSize: Sendable, Hashable {
        case sixteen
        case twenty

        var byteCount: Int { self == .sixteen ? 16 : 20 }
    }

    /// `size` nil picks the 16-byte form when the password fits (every BMC has it), else the 20-byte form.
    public static func request(
        userID: UInt8, operation: Operation, password: [UInt8] = [], size: PasswordSize? = nil
    ) throws(IPMICommandError) -> IPMIRequest {
        try UserID.validate(userID, command: name)
        guard password.count <= 20 else {
            throw .malformed("password longer than 20 bytes")
        }
        let form = size ?? (password.count <= 16 ? .sixteen : .twenty)
        guard password.count <= form.byteCount else {
            throw .malformed("password longer than 16 bytes needs the 20-byte form")
        }
        let field = password + [UInt8](repeating: 0, count: form.byteCount - password.count)
        let idByte = (form == .twenty ? 0x80 : 0x00) | userID
        return IPMIRequest(netFn: netFn, command: command, data: [idByte, operation.rawValue] + field)
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) {
        _ = try response.successData(command: name)
    }
}
