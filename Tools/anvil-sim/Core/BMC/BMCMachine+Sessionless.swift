import AnvilIPMI

/// What a BMC answers outside any session: the ASF presence pong and the IPMI v1.5 session-less
/// commands a console sends before RMCP+ (IPMI v2.0 spec §13.2.3, §22.13, §22.15).
extension BMCMachine {
    /// Pong to an ASF presence ping: IANA 4542, "supports IPMI" (DMTF ASF 2.0 §3.2.4.3).
    static func presencePong(_ ping: [UInt8]) -> [UInt8]? {
        // RMCP header 4, IANA 4, type 0x80, tag.
        guard ping.count >= 12, ping[8] == 0x80 else { return nil }
        let iana: [UInt8] = [0x00, 0x00, 0x11, 0xBE]
        let data: [UInt8] = iana + [0, 0, 0, 0] + [0x81, 0x00] + [UInt8](repeating: 0, count: 6)
        return RMCPHeader.asf + iana + [0x40, ping[9], 0x00, UInt8(data.count)] + data
    }

    mutating func sessionless(_ datagram: [UInt8]) -> BMCReply {
        guard let message = try? IPMI15Packet.decode(datagram), let answer = sessionless(message: message) else { return BMCReply() }
        return BMCReply(answer: IPMI15Packet.encode(message: answer))
    }

    /// The response message to a session-less request message, in whichever framing it came:
    /// ipmitool sends Get Channel Cipher Suites as an RMCP+ packet with session ID 0.
    mutating func sessionless(message: [UInt8]) -> [UInt8]? {
        guard message.count >= 7, let (request, sequence) = try? IPMIMessage.decodeRequest(message) else { return nil }
        count(request, inSession: false)
        let response: IPMIResponse
        switch (request.netFn, request.command) {
        case (IPMINetFn.app, GetChannelAuthenticationCapabilities.command): response = authenticationCapabilities(request)
        case (IPMINetFn.app, GetChannelCipherSuites.command): response = cipherSuites(request)
        case (IPMINetFn.app, Self.getSystemGUID): response = IPMIResponse(answering: request, data: guid)
        default: response = IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidCommand)
        }
        return Self.encode(response, answering: message, sequence: sequence)
    }

    /// Get System GUID, App 0x06/0x37 (IPMI v2.0 spec §22.14).
    static let getSystemGUID: UInt8 = 0x37

    /// Channel 1, IPMI v2.0 extended data; non-null user names only (no anonymous login).
    func authenticationCapabilities(_ request: IPMIRequest) -> IPMIResponse {
        IPMIResponse(answering: request, data: [0x01, 0x80 | 0x14, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00])
    }

    /// The offered suites as standard records, 16 bytes a page.
    func cipherSuites(_ request: IPMIRequest) -> IPMIResponse {
        var records: [UInt8] = []
        for id in suites {
            guard let suite = IPMICipherSuite.supported(id: id) else { continue }
            records += [0xC0, id, suite.authentication.rawValue, 0x40 | suite.integrity.rawValue, 0x80 | suite.confidentiality.rawValue]
        }
        let index = Int(request.data.count > 2 ? request.data[2] & GetChannelCipherSuites.maximumListIndex : 0)
        let page = Array(records.dropFirst(index * GetChannelCipherSuites.pageSize).prefix(GetChannelCipherSuites.pageSize))
        return IPMIResponse(answering: request, data: [0x01] + page)
    }

    /// The response message, addressed back to whoever sent the request (its rqAddr and rsAddr).
    static func encode(_ response: IPMIResponse, answering message: [UInt8], sequence: UInt8) -> [UInt8] {
        IPMIMessage.encodeResponse(response, sequence: sequence, responderAddress: message[0], requesterAddress: message[3])
    }
}
