import AnvilIPMI
import AnvilPower

/// Session set-up (IPMI v2.0 §13.15–13.20): capabilities, cipher suite, Open Session, RAKP 1–4,
/// then Set Session Privilege Level; and the in-session request/response exchange.
extension IPMIClient {
    func ensureSession() async throws {
        if session != nil { return }
        let capabilities = try await sessionless(
            GetChannelAuthenticationCapabilities.request(channel: 0x0E, privilege: endpoint.privilege),
            name: "Get Channel Authentication Capabilities")
        let parsed = try GetChannelAuthenticationCapabilities.parse(capabilities)
        guard parsed.supportsIPMIv2 else {
            throw PowerError.notSupported("\(endpoint.address) does not offer IPMI v2.0 (RMCP+) sessions")
        }
        var lastError: PowerError?
        for suite in try await candidateSuites() {
            do {
                session = try await openSession(suite: suite)
                sessionsEstablished += 1
                sessionLastUsed = ContinuousClock.now
                logger.debug("session established", metadata: ["cipher_suite": "\(suite.id)"])
                return
            } catch let error as PowerError {
                // Only an algorithm the BMC refuses moves on to the next suite.
                guard case .notSupported = error else { throw error }
                lastError = error
            }
        }
        throw lastError ?? PowerError.notSupported("\(endpoint.address) accepts neither cipher suite 17 nor 3")
    }

    /// A forced suite, or what the BMC lists (17 first, then 3); suite 0 is never used. A BMC that
    /// cannot list its suites gets 17 then 3 tried in turn.
    private func candidateSuites() async throws -> [IPMICipherSuite] {
        if let forced = endpoint.cipherSuite {
            guard let suite = IPMICipherSuite.supported(id: forced) else {
                throw PowerError.invalidConfiguration("cipher suite \(forced) is not supported (use 3 or 17)")
            }
            return [suite]
        }
        var records: [UInt8] = []
        for index in UInt8(0)..<64 {
            let response = try await sessionless(GetChannelCipherSuites.request(channel: 0x0E, listIndex: index), name: "Get Channel Cipher Suites")
            guard let page = try? GetChannelCipherSuites.parse(response) else {
                return [.suite17, .suite3]
            }
            records += page
            if page.count < 16 { break }
        }
        let offered = GetChannelCipherSuites.suiteIDs(fromRecords: records)
        let usable = [IPMICipherSuite.suite17, .suite3].filter { offered.contains($0.id) }
        guard !usable.isEmpty else {
            throw PowerError.notSupported(
                "\(endpoint.address) offers cipher suites \(offered.map(String.init).joined(separator: ", ")); Anvil needs 17 or 3 (never 0)")
        }
        return usable
    }

    private func nextTag() -> UInt8 {
        messageTag &+= 1
        return messageTag
    }

    private func openSession(suite: IPMICipherSuite) async throws -> IPMISessionState {
        let consoleSessionID = IPMIRandom.sessionID()
        let tag = nextTag()
        let request = OpenSessionRequest(tag: tag, requestedPrivilege: endpoint.privilege, consoleSessionID: consoleSessionID, suite: suite)
        let opened: OpenSessionResponse = try await setupExchange(
            .openSessionRequest, request.encode(), expecting: .openSessionResponse, name: "Open Session"
        ) { payload in
            let response = try OpenSessionResponse.decode(payload)
            return response.tag == tag && response.consoleSessionID == consoleSessionID ? response : nil
        }
        guard opened.status == 0 else { throw IPMIErrorMapping.error(status: opened.status, step: "Open Session", endpoint: endpoint) }

        let consoleRandom = IPMIRandom.bytes(16)
        let userName = Array(endpoint.user.utf8)
        // Name-only lookup (bit 4) with the privilege we need, as ipmitool does.
        let role = endpoint.privilege.rawValue | 0x10
        let rakp1Tag = nextTag()
        let rakp1 = RAKPMessage1(
            tag: rakp1Tag, managedSystemSessionID: opened.managedSystemSessionID, consoleRandom: consoleRandom, role: role, userName: userName)
        let rakp2: RAKPMessage2 = try await setupExchange(.rakp1, rakp1.encode(), expecting: .rakp2, name: "RAKP 1") { payload in
            let message = try RAKPMessage2.decode(payload)
            return message.tag == rakp1Tag && message.consoleSessionID == consoleSessionID ? message : nil
        }
        guard rakp2.status == 0 else { throw IPMIErrorMapping.error(status: rakp2.status, step: "RAKP 2", endpoint: endpoint) }

        let exchange = RAKPKeyExchange(
            suite: suite, password: Array(endpoint.password.utf8), kg: endpoint.kg, userName: userName, role: role,
            consoleSessionID: consoleSessionID, managedSystemSessionID: opened.managedSystemSessionID,
            consoleRandom: consoleRandom, managedSystemRandom: rakp2.managedSystemRandom, managedSystemGUID: rakp2.managedSystemGUID)
        // The BMC proves it knows the password before we prove we do: a mismatch means a wrong
        // password (or an impostor), and nothing derived from it is ever sent.
        guard exchange.rakp2Matches(rakp2.keyExchangeAuthCode) else {
            throw PowerError.authenticationFailed(
                "\(endpoint.address) refused user \"\(endpoint.user)\": the RAKP 2 key exchange code does not match (wrong password)")
        }

        let rakp3Tag = nextTag()
        let rakp3 = RAKPMessage3(tag: rakp3Tag, status: 0, managedSystemSessionID: opened.managedSystemSessionID, keyExchangeAuthCode: exchange.rakp3AuthCode())
        let rakp4: RAKPMessage4 = try await setupExchange(.rakp3, rakp3.encode(), expecting: .rakp4, name: "RAKP 3") { payload in
            let message = try RAKPMessage4.decode(payload)
            return message.tag == rakp3Tag && message.consoleSessionID == consoleSessionID ? message : nil
        }
        guard rakp4.status == 0 else { throw IPMIErrorMapping.error(status: rakp4.status, step: "RAKP 4", endpoint: endpoint) }
        guard exchange.rakp4Matches(rakp4.integrityCheckValue) else {
            throw PowerError.authenticationFailed("\(endpoint.address): the RAKP 4 integrity check value does not match")
        }

        session = IPMISessionState(
            suite: suite, keys: exchange.sessionKeys(), consoleSessionID: consoleSessionID,
            managedSystemSessionID: opened.managedSystemSessionID, privilege: endpoint.privilege)
        let granted = try await exchangeInSession(
            SetSessionPrivilegeLevel.request(endpoint.privilege), name: "Set Session Privilege Level", attempts: policy.retries + 1)
        guard granted.completionCode == 0 else {
            let error = IPMIErrorMapping.error(completionCode: granted.completionCode, command: "Set Session Privilege Level", endpoint: endpoint)
            session = nil
            if case .protocolError = error {
                throw PowerError.insufficientPrivilege("user \"\(endpoint.user)\" cannot have \(endpoint.privilege) privilege on \(endpoint.address): \(error.message)")
            }
            throw error
        }
        return session!
    }

    /// A session-setup message in the clear (payload types 0x10–0x15), resent on silence.
    private func setupExchange<Answer: Sendable>(
        _ type: RMCPPayloadType, _ payload: [UInt8], expecting: RMCPPayloadType, name: String,
        accept: @escaping ([UInt8]) throws -> Answer?
    ) async throws -> Answer {
        let datagram = try RMCPPlusPacket(payloadType: type, payload: payload).encode(keys: nil, iv: [])
        return try await exchange(name: name, attempts: policy.retries + 1, make: { datagram }) { bytes in
            guard (try? IPMIDatagram.kind(of: bytes)) == .rmcpPlus,
                  let packet = try? RMCPPlusPacket.decode(bytes, keys: nil), packet.payloadType == expecting
            else { return nil }
            return try? accept(packet.payload)
        }
    }

    /// A command before any session (IPMI v1.5 framing, no authentication).
    func sessionless(_ request: IPMIRequest, name: String) async throws -> IPMIResponse {
        sessionlessSequence = (sessionlessSequence + 1) & 0x3F
        let sequence = sessionlessSequence
        let datagram = IPMI15Packet.encode(message: IPMIMessage.encodeRequest(request, sequence: sequence))
        return try await exchange(name: name, attempts: policy.retries + 1, make: { datagram }) { bytes in
            guard (try? IPMIDatagram.kind(of: bytes)) == .ipmi15,
                  let message = try? IPMI15Packet.decode(bytes),
                  let (response, answered) = try? IPMIMessage.decodeResponse(message),
                  answered == sequence, response.command == request.command, response.netFn == request.netFn | 1
            else { return nil }
            return response
        }
    }

    /// A command in the session: authenticated and (suite 3/17) encrypted; each resend gets a
    /// new session sequence number but keeps its request sequence, so a late answer to an
    /// earlier try still counts.
    func exchangeInSession(_ request: IPMIRequest, name: String, attempts: Int) async throws -> IPMIResponse {
        guard session != nil else { throw PowerError.protocolError("\(name): no session") }
        let requestSequence = session!.nextRequestSequence()
        let message = IPMIMessage.encodeRequest(request, sequence: requestSequence)
        let response: IPMIResponse = try await exchange(name: name, attempts: attempts, make: {
            guard session != nil else { throw PowerError.protocolError("\(name): session lost") }
            let packet = RMCPPlusPacket(
                payloadType: .ipmi, sessionID: session!.managedSystemSessionID, sequence: session!.nextOutboundSequence(), payload: message)
            return try packet.encode(keys: session!.keys, iv: IPMIRandom.bytes(16))
        }) { bytes in
            guard session != nil, (try? IPMIDatagram.kind(of: bytes)) == .rmcpPlus,
                  let packet = try? RMCPPlusPacket.decode(bytes, keys: session!.keys),
                  packet.payloadType == .ipmi, packet.authenticated,
                  packet.sessionID == session!.consoleSessionID
            else { return nil }
            guard session!.inboundWindow.accept(packet.sequence) else { return nil }
            guard let (response, answered) = try? IPMIMessage.decodeResponse(packet.payload),
                  answered == requestSequence, response.command == request.command, response.netFn == request.netFn | 1
            else { return nil }
            return response
        }
        sessionLastUsed = ContinuousClock.now
        return response
    }
}
