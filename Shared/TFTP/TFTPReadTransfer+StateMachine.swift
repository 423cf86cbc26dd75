extension TFTPReadTransfer {
    /// Sends the OACK, or the first window when there is nothing to acknowledge. Nothing more
    /// than one OACK or one window goes out before the client's first ACK (no amplification).
    public mutating func start(now: Duration) -> [TFTPTransferAction] {
        guard phase == .notStarted else { return [] }
        if optionAcknowledgement.isEmpty {
            phase = .sending
            return sendWindow(from: 1, now: now)
        }
        phase = .awaitingOptionAcknowledgement
        return sendOptionAcknowledgement(now: now)
    }

    /// Feeds a packet that came from the client's TID.
    public mutating func received(_ packet: TFTPPacket, now: Duration) -> [TFTPTransferAction] {
        switch (phase, packet) {
        case (.notStarted, _), (.finished, _):
            return []
        case (_, .error(let code, let message)):
            return finish(.abortedByClient(code, message: message))
        case (.awaitingOptionAcknowledgement, .acknowledgement(let block)):
            guard block == 0 else { return [] }
            phase = .sending
            return progressed(to: 0, now: now)
        case (.sending, .acknowledgement(let block)):
            return acknowledged(wireBlock: block, now: now)
        default:
            return []
        }
    }

    /// Feeds the expiry of the timer armed last. An early or stale firing is dropped.
    public mutating func timerFired(now: Duration) -> [TFTPTransferAction] {
        guard phase == .awaitingOptionAcknowledgement || phase == .sending,
              let deadline, now >= deadline else { return [] }
        guard retriesWithoutProgress < policy.maximumRetries else {
            return finish(.failed(.clientStoppedAcknowledging))
        }
        retriesWithoutProgress += 1
        currentTimeout = min(currentTimeout * 2, timeoutCap)
        let actions = phase == .awaitingOptionAcknowledgement
            ? sendOptionAcknowledgement(now: now)
            : sendWindow(from: lastAcknowledgedBlock + 1, now: now)
        retransmittedPackets += actions.count { if case .send = $0 { true } else { false } }
        return actions
    }

    /// An ACK while sending (RFC 7440 §4): the ACK of the window's last block moves on; an ACK of
    /// an earlier block in the window means a gap, so sending restarts after it; an ACK of the
    /// last acknowledged block (duplicate) or of anything outside the window is dropped — never a
    /// retransmission on a duplicate ACK (RFC 1123 §4.2.3.1, Sorcerer's Apprentice).
    private mutating func acknowledged(wireBlock: UInt16, now: Duration) -> [TFTPTransferAction] {
        let distance = Int(wireBlock &- Self.wireBlock(lastAcknowledgedBlock))
        let block = lastAcknowledgedBlock + distance
        guard distance > 0, block <= highestSentBlock else { return [] }
        if block == finalBlock {
            lastAcknowledgedBlock = block
            return finish(.completed)
        }
        return progressed(to: block, now: now)
    }

    private mutating func progressed(to block: Int, now: Duration) -> [TFTPTransferAction] {
        lastAcknowledgedBlock = block
        retriesWithoutProgress = 0
        currentTimeout = settings.timeoutSeconds.map { Duration.seconds($0) } ?? policy.initialTimeout
        return sendWindow(from: block + 1, now: now)
    }

    private mutating func sendOptionAcknowledgement(now: Duration) -> [TFTPTransferAction] {
        let packet = TFTPPacket.optionAcknowledgement(optionAcknowledgement)
        bytesSent += packet.encode().count
        return [.send(packet), armTimer(now: now)]
    }

    /// Sends blocks `first…` up to one window or the final block, then arms the timer.
    private mutating func sendWindow(from first: Int, now: Duration) -> [TFTPTransferAction] {
        let last = min(first + settings.windowSize - 1, finalBlock)
        var actions: [TFTPTransferAction] = []
        actions.reserveCapacity(last - first + 2)
        for block in first...last {
            let offset = (block - 1) * settings.blockSize
            let length = min(settings.blockSize, source.size - offset)
            let payload: [UInt8]
            do {
                payload = length > 0 ? try source.bytes(at: offset, length: length) : []
            } catch {
                return [.send(.error(.notDefined, message: "read error"))] + finish(.failed(.sourceUnreadable))
            }
            bytesSent += 4 + payload.count
            actions.append(.send(.data(block: Self.wireBlock(block), payload: payload)))
        }
        highestSentBlock = last
        actions.append(armTimer(now: now))
        return actions
    }

    private mutating func armTimer(now: Duration) -> TFTPTransferAction {
        let deadline = now + currentTimeout
        self.deadline = deadline
        return .armTimer(deadline: deadline)
    }

    private mutating func finish(_ outcome: TFTPTransferOutcome) -> [TFTPTransferAction] {
        phase = .finished
        deadline = nil
        self.outcome = outcome
        return [.finish(outcome)]
    }
}
