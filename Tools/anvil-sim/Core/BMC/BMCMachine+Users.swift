import AnvilIPMI

/// User management (IPMI v2.0 spec §22.26–22.30): what ipmitool's `user` commands and Anvil's
/// in-band enrolment (IPMIUserEnrolment) send. Logins use the table, so an enrolled user can log in.
extension BMCMachine {
    private func invalid(_ request: IPMIRequest, _ code: UInt8 = IPMICompletionCode.invalidDataField) -> IPMIResponse {
        IPMIResponse(answering: request, completionCode: code)
    }

    /// Table size ‖ enabled count ‖ fixed names (user 1) ‖ this user's access on the channel.
    func userAccess(_ request: IPMIRequest) -> IPMIResponse {
        guard request.data.count >= 2 else { return invalid(request, IPMICompletionCode.requestDataLengthInvalid) }
        guard let user = users[request.data[1] & 0x3F] else { return invalid(request) }
        let status: UInt8 = user.enabled ? 0x40 : 0x80
        let access = (user.ipmiMessaging ? 0x10 : 0x00) | (user.privilegeLimit & 0x0F)
        return IPMIResponse(answering: request, data: [users.size, status | UInt8(users.enabledCount), 0x01, access])
    }

    mutating func setUserAccess(_ request: IPMIRequest) -> IPMIResponse {
        guard request.data.count >= 3 else { return invalid(request, IPMICompletionCode.requestDataLengthInvalid) }
        let id = request.data[1] & 0x3F
        guard var user = users[id] else { return invalid(request) }
        if request.data[0] & 0x80 != 0 { user.ipmiMessaging = request.data[0] & 0x10 != 0 }
        user.privilegeLimit = request.data[2] & 0x0F
        users[id] = user
        return IPMIResponse(answering: request)
    }

    /// 16 bytes, NUL padded; unused slots read as empty, which enrolment takes as free.
    func userName(_ request: IPMIRequest) -> IPMIResponse {
        guard let id = request.data.first, let user = users[id & 0x3F] else { return invalid(request) }
        return IPMIResponse(answering: request, data: user.name + [UInt8](repeating: 0, count: 16 - user.name.count))
    }

    mutating func setUserName(_ request: IPMIRequest) -> IPMIResponse {
        guard request.data.count >= 17 else { return invalid(request, IPMICompletionCode.requestDataLengthInvalid) }
        let id = request.data[0] & 0x3F
        // User 1 has a fixed (null) name.
        guard id >= 2, var user = users[id] else { return invalid(request) }
        user.name = Array(request.data[1...16].prefix { $0 != 0 })
        users[id] = user
        return IPMIResponse(answering: request)
    }

    /// Disable, enable, set or test (0x80 wrong password) a user's password.
    mutating func setUserPassword(_ request: IPMIRequest) -> IPMIResponse {
        guard request.data.count >= 2 else { return invalid(request, IPMICompletionCode.requestDataLengthInvalid) }
        let id = request.data[0] & 0x3F
        guard var user = users[id], let operation = SetUserPassword.Operation(rawValue: request.data[1] & 0x03) else { return invalid(request) }
        let field = Array(request.data.dropFirst(2))
        switch operation {
        case .disableUser: user.enabled = false
        case .enableUser: user.enabled = true
        case .setPassword:
            guard field.count == 16 || field.count == 20 else { return invalid(request, IPMICompletionCode.requestDataLengthInvalid) }
            user.password = BMCUser.trimmed(field)
        case .testPassword:
            guard BMCUser.trimmed(field) == user.password else {
                return invalid(request, SetUserPassword.testFailedWrongPassword)
            }
        }
        users[id] = user
        return IPMIResponse(answering: request)
    }
}
