import AnvilIPMI

/// RMCP+ session setup, BMC side: Open Session, RAKP 1 → 2, RAKP 3 → 4 (IPMI v2.0 spec §13.17–13.23).
/// Refusals carry the RAKP status a real BMC sends, so a client reports "unauthorized name" or
/// "invalid integrity check value" rather than a timeout.
extension BMCMachine {
    mutating func rmcpPlus(_ datagram: [UInt8], chassis: BMCChassisView, now: ContinuousClock.Instant) -> BMCReply {
        // Authenticated packets only decode with their session's keys.
        guard let clear = try? RMCPPlusPacket.decode(datagram, keys: nil) else {
            return inSession(datagram, chassis: chassis, now: now)
        }
        let answer: [UInt8]?
        switch clear.payloadType {
        case .openSessionRequest: answer = openSession(clear.payload, now: now)
        case .rakp1: answer = rakp1(clear.payload)
        case .rakp3: answer = rakp3(clear.payload, now: now)
        case .ipmi where clear.sessionID == 0:
            answer = sessionless(message: clear.payload).map { Self.packet(.ipmi, $0) }
        default: answer = nil  // an unauthenticated in-session packet: refused silently
        }
        return BMCReply(answer: answer)
    }

    private static func packet(_ type: RMCPPayloadType, _ payload: [UInt8]) -> [UInt8] {
        // Unauthenticated packets have no keys, so encoding cannot fail.
        (try? RMCPPlusPacket(payloadType: type, payload: payload).encode(keys: nil)) ?? []
    }

    mutating func openSession(_ payload: [UInt8], now: ContinuousClock.Instant) -> [UInt8]? {
        guard payload.count >= 8 else { return nil }
        let tag = payload[0]
        let consoleID = UInt32(payload[4]) | UInt32(payload[5]) << 8 | UInt32(payload[6]) << 16 | UInt32(payload[7]) << 24
        func refuse(_ status: UInt8) -> [UInt8] {
            statistics.loginsRefused += 1
            let response = OpenSessionResponse(
                tag: tag, status: status, maximumPrivilege: 0, consoleSessionID: consoleID, managedSystemSessionID: 0,
                authenticationAlgorithm: 0, integrityAlgorithm: 0, confidentialityAlgorithm: 0)
            return Self.packet(.openSessionResponse, response.encode())
        }
        // Anything but suites 3 and 17 fails to decode: "no cipher suite match".
        guard let request = try? OpenSessionRequest.decode(payload), suites.contains(request.suite.id) else { return refuse(0x11) }
        expireSessions(now: now)
        guard sessions.count + handshakes.count < maximumSessions * 2, sessions.count < maximumSessions else { return refuse(0x01) }
        let privilege = min(request.requestedPrivilege?.rawValue ?? IPMIPrivilege.administrator.rawValue, IPMIPrivilege.administrator.rawValue)
        let managedID = freshSessionID()
        handshakes[managedID] = BMCHandshake(consoleSessionID: request.consoleSessionID, suite: request.suite, requestedPrivilege: privilege)
        let response = OpenSessionResponse(
            tag: request.tag, maximumPrivilege: privilege, consoleSessionID: request.consoleSessionID,
            managedSystemSessionID: managedID, suite: request.suite)
        return Self.packet(.openSessionResponse, response.encode())
    }

    mutating func rakp1(_ payload: [UInt8]) -> [UInt8]? {
        guard let message = try? RAKPMessage1.decode(payload) else { return nil }
        func refuse(_ status: UInt8, consoleID: UInt32) -> [UInt8] {
            statistics.loginsRefused += 1
            handshakes[message.managedSystemSessionID] = nil
            let reply = RAKPMessage2(
                tag: message.tag, status: status, consoleSessionID: consoleID, managedSystemRandom: [UInt8](repeating: 0, count: 16),
                managedSystemGUID: guid, keyExchangeAuthCode: [])
            return Self.packet(.rakp2, reply.encode())
        }
        guard var handshake = handshakes[message.managedSystemSessionID] else {
            return refuse(0x02, consoleID: 0)  // invalid session ID
        }
        let role = message.role & 0x0F
        guard (1...5).contains(role) else { return refuse(RMCPPlusStatusCode.invalidRole, consoleID: handshake.consoleSessionID) }
        guard let user = users.loginUser(named: message.userName) else {
            return refuse(RMCPPlusStatusCode.unauthorizedName, consoleID: handshake.consoleSessionID)
        }
        guard role <= user.privilegeLimit else { return refuse(0x0A, consoleID: handshake.consoleSessionID) }
        // A repeated RAKP 1 (its RAKP 2 was lost) gets the same random, so either answer fits.
        let managedRandom: [UInt8]
        if let previous = handshake.exchange, previous.consoleRandom == message.consoleRandom,
           previous.userName == message.userName, previous.role == message.role {
            managedRandom = previous.managedSystemRandom
        } else {
            managedRandom = (0..<16).map { _ in UInt8.random(in: 0...255) }
        }
        let exchange = RAKPKeyExchange(
            suite: handshake.suite, password: user.password, userName: message.userName, role: message.role,
            consoleSessionID: handshake.consoleSessionID, managedSystemSessionID: message.managedSystemSessionID,
            consoleRandom: message.consoleRandom, managedSystemRandom: managedRandom, managedSystemGUID: guid)
        handshake.exchange = exchange
        handshake.userPrivilege = min(role, user.privilegeLimit)
        handshakes[message.managedSystemSessionID] = handshake
        let reply = RAKPMessage2(
            tag: message.tag, status: RMCPPlusStatusCode.noErrors, consoleSessionID: handshake.consoleSessionID,
            managedSystemRandom: managedRandom, managedSystemGUID: guid, keyExchangeAuthCode: exchange.rakp2AuthCode())
        return Self.packet(.rakp2, reply.encode())
    }

    mutating func rakp3(_ payload: [UInt8], now: ContinuousClock.Instant) -> [UInt8]? {
        guard let message = try? RAKPMessage3.decode(payload) else { return nil }
        let id = message.managedSystemSessionID
        // A repeated RAKP 3 for a session already open: its RAKP 4 was lost, send it again.
        if let session = sessions[id], session.outbound == 0, message.status == 0, session.exchange.rakp3Matches(message.keyExchangeAuthCode) {
            return rakp4(tag: message.tag, exchange: session.exchange)
        }
        guard let handshake = handshakes.removeValue(forKey: id), let exchange = handshake.exchange else {
            let reply = RAKPMessage4(tag: message.tag, status: 0x02, consoleSessionID: 0, integrityCheckValue: [])
            return Self.packet(.rakp4, reply.encode())
        }
        // The console refused our RAKP 2 (it holds another password): nothing to answer.
        guard message.status == RMCPPlusStatusCode.noErrors else {
            statistics.loginsRefused += 1
            return nil
        }
        guard exchange.rakp3Matches(message.keyExchangeAuthCode) else {
            statistics.loginsRefused += 1
            let reply = RAKPMessage4(
                tag: message.tag, status: RMCPPlusStatusCode.invalidIntegrityCheckValue, consoleSessionID: handshake.consoleSessionID,
                integrityCheckValue: [])
            return Self.packet(.rakp4, reply.encode())
        }
        // The session starts at User level (or less); Set Session Privilege Level raises it (spec §22.18).
        sessions[id] = BMCSession(
            consoleSessionID: handshake.consoleSessionID, keys: exchange.sessionKeys(), exchange: exchange,
            privilege: min(handshake.userPrivilege, IPMIPrivilege.user.rawValue), privilegeLimit: handshake.userPrivilege, lastUsed: now)
        statistics.sessionsOpened += 1
        return rakp4(tag: message.tag, exchange: exchange)
    }

    private func rakp4(tag: UInt8, exchange: RAKPKeyExchange) -> [UInt8] {
        let reply = RAKPMessage4(
            tag: tag, status: RMCPPlusStatusCode.noErrors, consoleSessionID: exchange.consoleSessionID,
            integrityCheckValue: exchange.rakp4IntegrityCheckValue())
        return Self.packet(.rakp4, reply.encode())
    }

    private func freshSessionID() -> UInt32 {
        while true {
            let id = UInt32.random(in: 1...UInt32.max)
            if sessions[id] == nil && handshakes[id] == nil { return id }
        }
    }

    /// Forgets idle sessions and, past a bound, abandoned handshakes (logins that never sent RAKP 3).
    mutating func expireSessions(now: ContinuousClock.Instant) {
        sessions = sessions.filter { now - $0.value.lastUsed < sessionTimeout }
        if handshakes.count >= maximumSessions {
            handshakes.removeAll()
        }
    }
}
