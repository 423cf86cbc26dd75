import AnvilIPMI

/// Authenticated, encrypted in-session traffic (IPMI v2.0 spec §13.28–13.29, §6.12.13): integrity
/// check, replay window, the command, the encrypted answer; Close Session ends it.
extension BMCMachine {
    mutating func inSession(_ datagram: [UInt8], chassis: BMCChassisView, now: ContinuousClock.Instant) -> BMCReply {
        // The session ID sits at a fixed offset: RMCP header 4, AuthType 1, payload type 1.
        guard datagram.count >= 10 else { return BMCReply() }
        let id = UInt32(datagram[6]) | UInt32(datagram[7]) << 8 | UInt32(datagram[8]) << 16 | UInt32(datagram[9]) << 24
        expireSessions(now: now)
        guard var session = sessions[id],
              let packet = try? RMCPPlusPacket.decode(datagram, keys: session.keys),
              packet.authenticated, packet.payloadType == .ipmi,
              session.inbound.accept(packet.sequence),
              packet.payload.count >= 7,
              let (request, sequence) = try? IPMIMessage.decodeRequest(packet.payload)
        else { return BMCReply() }
        session.lastUsed = now
        count(request, inSession: true)
        var effects: [BMCChassisEffect] = []
        var closing = false
        let response: IPMIResponse
        if request.netFn == IPMINetFn.app, request.command == CloseSession.command {
            let result = closeSession(request, current: id)
            response = result.response
            closing = result.closesCurrent
        } else if request.netFn == IPMINetFn.app, request.command == SetSessionPrivilegeLevel.command {
            response = setPrivilege(request, session: &session)
        } else {
            response = execute(request, privilege: session.privilege, chassis: chassis, now: now, effects: &effects)
        }
        session.outbound &+= 1
        if session.outbound == 0 { session.outbound = 1 }
        let message = Self.encode(response, answering: packet.payload, sequence: sequence)
        let reply = RMCPPlusPacket(payloadType: .ipmi, sessionID: session.consoleSessionID, sequence: session.outbound, payload: message)
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255) }
        guard let bytes = try? reply.encode(keys: session.keys, iv: iv) else { return BMCReply() }
        sessions[id] = closing ? nil : session
        return BMCReply(answer: bytes, effects: effects, inSession: true)
    }

    /// Closes the named session (usually the one it arrives in); 0x87 for an unknown ID.
    mutating func closeSession(_ request: IPMIRequest, current: UInt32) -> (response: IPMIResponse, closesCurrent: Bool) {
        guard request.data.count >= 4 else {
            return (IPMIResponse(answering: request, completionCode: IPMICompletionCode.requestDataLengthInvalid), false)
        }
        let id = UInt32(request.data[0]) | UInt32(request.data[1]) << 8 | UInt32(request.data[2]) << 16 | UInt32(request.data[3]) << 24
        if id == current { return (IPMIResponse(answering: request), true) }
        guard sessions.removeValue(forKey: id) != nil else { return (IPMIResponse(answering: request, completionCode: 0x87), false) }
        return (IPMIResponse(answering: request), false)
    }

    /// 0 reads the level; above the user's limit is 0x81 (spec §22.18, table 22-22).
    func setPrivilege(_ request: IPMIRequest, session: inout BMCSession) -> IPMIResponse {
        let wanted = (request.data.first ?? 0) & 0x0F
        if wanted == 0 { return IPMIResponse(answering: request, data: [session.privilege]) }
        guard IPMIPrivilege(rawValue: wanted) != nil, wanted != IPMIPrivilege.callback.rawValue else {
            return IPMIResponse(answering: request, completionCode: 0x80)
        }
        guard wanted <= session.privilegeLimit else { return IPMIResponse(answering: request, completionCode: 0x81) }
        session.privilege = wanted
        return IPMIResponse(answering: request, data: [wanted])
    }
}
