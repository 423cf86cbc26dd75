extension TFTPReadTransfer {
    /// Sends the OACK, or the first window when there is nothing to acknowledge. Nothing more
    /// than one OACK or one window goes out before the client's first ACK (no amplification).
    public mutating func start(now: Duration) -> TFTPTransferActions {
        guard phase == .notStarted else { return .none }
        if optionAcknowledgement.isEmpty {
            phase = .sending
            return sendWindow(from: 1, now: now)
        }
        phase = .awaitingOptionAcknowledgement
        return sendOptionAcknowledgement(now: now)
    }

    /// Feeds a packet that came from the client's TID.
    public mutating func received(_ packet: TFTPPacket, now: Duration) -> TFTPTransferActions {
        switch (phase, packet) {
        case (.notStarted, _), (.finished, _):
            return .none
        case (_, .error(let code, let message)):
            return finish(.abortedByClient(code, message: message))
        case (.awaitingOptionAcknowledgement, .acknowledgement(let block)):
            guard block == 0 else { return .none }
            phase = .sending
            return progressed(to: 0, now: now)
        case (.sending, .acknowledgement(let block)):
            return acknowledged(wireBlock: block, now: now)
        default:
            return .none
        }
    }

    /// Feeds the expiry of the timer armed last. An early or stale firing is dropped.
    public mutating func timerFired(now: Duration) -> TFTPTransferActions {
        guard phase == .awaitingOptionAcknowledgement || phase == .sending,
              let deadline, now >= deadline else { return .none }
        guard retriesWithoutProgress < policy.maximumRetries else {
            return finish(.failed(.clientStoppedAcknowledging))
        }
        retriesWithoutProgress += 1
        currentTimeout = min(currentTimeout * 2, timeoutCap)
        let actions = phase == .awaitingOptionAcknowledgement
            ? sendOptionAcknowledgement(now: now)
            : sendWindow(from: lastAcknowledgedBlock + 1, now: now)
        retransmittedPackets += actions.packetCount
        return actions
    }

    /// An ACK while sending (RFC 7440 §4): the ACK of the window's last block moves on; an ACK of
    /// an earlier block in the window means a gap, so sending restarts after it; an ACK of the
    /// last acknowledged block (duplicate) or of anything outside the window is dropped — never a
    /// retransmission on a duplicate ACK (RFC 1123 §4.2.3.1, Sorcerer's Apprentice).
    private mutating func acknowledged(wireBlock: UInt16, now: Duration) -> TFTPTransferActions {
        let distance = Int(wireBlock &- Self.wireBlock(lastAcknowledgedBlock))
        let block = lastAcknowledgedBlock + distance
        guard distance > 0, block <= highestSentBlock else { return .none }
        if block == finalBlock {
            lastAcknowledgedBlock = block
            return finish(.completed)
        }
        return progressed(to: block, now: now)
    }

    private mutating func progressed(to block: Int, now: Duration) -> TFTPTransferActions {
        lastAcknowledgedBlock = block
        retriesWithoutProgress = 0
        currentTimeout = settings.timeoutSeconds.map { Duration.seconds($0) } ?? policy.initialTimeout
        return sendWindow(from: block + 1, now: now)
    }

    private mutating func sendOptionAcknowledgement(now: Duration) -> TFTPTransferActions {
        let packet = TFTPPacket.optionAcknowledgement(optionAcknowledgement)
        bytesSent += packet.encode().count
        return TFTPTransferActions(packet: packet, deadline: armTimer(now: now))
    }

    /// Sends blocks `first…` up to one window or the final block, then arms the timer.
    private mutating func sendWindow(from first: Int, now: Duration) -> TFTPTransferActions {
        let last = min(first + settings.windowSize - 1, finalBlock)
        bytesSent += 4 * (last - first + 1) + min(last * settings.blockSize, size) - (first - 1) * settings.blockSize
        highestSentBlock = last
        return TFTPTransferActions(blocks: first...last, deadline: armTimer(now: now))
    }

    /// The I/O layer could not read a block's bytes: ERROR 0 to the client, and the transfer fails.
    public mutating func sourceFailed() -> TFTPTransferActions {
        guard phase != .finished else { return .none }
        var actions = finish(.failed(.sourceUnreadable))
        actions.packet = .error(.notDefined, message: "read error")
        return actions
    }

    private mutating func armTimer(now: Duration) -> Duration {
        let deadline = now + currentTimeout
        self.deadline = deadline
        return deadline
    }

    private mutating func finish(_ outcome: TFTPTransferOutcome) -> TFTPTransferActions {
        phase = .finished
        deadline = nil
        self.outcome = outcome
        return TFTPTransferActions(outcome: outcome)
    }
}
