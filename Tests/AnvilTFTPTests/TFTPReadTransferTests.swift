import AnvilTFTP
import Testing

@Suite struct TFTPReadTransferTests {
    static func content(_ size: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) } }

    static func download(_ content: [UInt8], settings: TFTPTransferSettings, options: [TFTPOption]) -> (CooperativeClient<TFTPInMemorySource>, TFTPTransferOutcome?, [UInt8]) {
        var received: [UInt8] = []
        let transfer = TFTPReadTransfer(size: content.count, settings: settings, optionAcknowledgement: options)
        var client = CooperativeClient(transfer: transfer, source: TFTPInMemorySource(content)) { _, payload in received += payload }
        let outcome = client.run()
        return (client, outcome, received)
    }

    @Test(arguments: [0, 1, 511, 512, 513, 1024, 1 << 20])
    func lockstepTransferDeliversTheFile(size: Int) {
        let content = Self.content(size)
        let (client, outcome, received) = Self.download(content, settings: .rfc1350Defaults, options: [])
        #expect(outcome == .completed)
        #expect(received == content)
        #expect(client.dataPackets == size / 512 + 1)
        #expect(client.largestBatch == 1)
        #expect(client.transfer.retransmittedPackets == 0)
        #expect(client.transfer.bytesAcknowledged == size)
    }

    @Test(arguments: [0, 1468, 1 << 20])
    func optionsTransferWithOACK(size: Int) throws {
        let content = Self.content(size)
        let agreement = try TFTPOptionNegotiation.negotiateRead(
            [TFTPOption(name: "tsize", value: "0"), TFTPOption(name: "blksize", value: "1468")], fileSize: size)
        let (client, outcome, received) = Self.download(content, settings: agreement.settings, options: agreement.acknowledgedOptions)
        #expect(outcome == .completed)
        #expect(received == content)
        #expect(client.dataPackets == size / 1468 + 1)
    }

    @Test func windowsize8TransferSendsWholeWindows() {
        let content = Self.content(1 << 20)
        let settings = TFTPTransferSettings(blockSize: 512, windowSize: 8)
        let (client, outcome, received) = Self.download(content, settings: settings, options: [TFTPOption(name: "windowsize", value: "8")])
        #expect(outcome == .completed)
        #expect(received == content)
        #expect(client.largestBatch == 8)
        #expect(client.dataPackets == 2049)
    }

    @Test func blockNumbersRollOverToZeroPast65535() {
        let size = 65536 * 512 + 100
        let transfer = TFTPReadTransfer(size: size)
        var mismatches = 0
        var client = CooperativeClient(transfer: transfer, source: PatternSource(size: size)) { offset, payload in
            if let first = payload.first, first != PatternSource.byte(at: offset) { mismatches += 1 }
            if let last = payload.last, last != PatternSource.byte(at: offset + payload.count - 1) { mismatches += 1 }
        }
        #expect(client.run() == .completed)
        #expect(mismatches == 0)
        #expect(client.receivedBytes == size)
        #expect(client.sawWireBlockZeroData)
        #expect(client.dataPackets == 65537)
    }

    @Test func duplicateAcknowledgementNeverTriggersARetransmission() {
        var transfer = TFTPReadTransfer(size: (2000))
        #expect(transfer.start(now: .zero).dataBlocks == [1])
        #expect(transfer.received(.acknowledgement(block: 1), now: .milliseconds(1)).dataBlocks == [2])
        #expect(transfer.received(.acknowledgement(block: 1), now: .milliseconds(2)) == .none)
        #expect(transfer.received(.acknowledgement(block: 1), now: .milliseconds(3)) == .none)
        #expect(transfer.received(.acknowledgement(block: 0), now: .milliseconds(4)) == .none)
        // An ACK for a block not sent yet is dropped too.
        #expect(transfer.received(.acknowledgement(block: 3), now: .milliseconds(5)) == .none)
        #expect(transfer.retransmittedPackets == 0)
        #expect(transfer.received(.acknowledgement(block: 2), now: .milliseconds(6)).dataBlocks == [3])
    }

    @Test func timeoutResendsFromTheLastAcknowledgedBlockWithBackoff() {
        var transfer = TFTPReadTransfer(
            size: (10 * 512), settings: TFTPTransferSettings(windowSize: 4),
            optionAcknowledgement: [TFTPOption(name: "windowsize", value: "4")])
        let start = transfer.start(now: .zero)
        #expect(start == TFTPTransferActions(packet: .optionAcknowledgement([TFTPOption(name: "windowsize", value: "4")]), deadline: .seconds(1)))
        #expect(start.deadline == .seconds(1))
        // The OACK itself is retransmitted on timeout.
        let oackAgain = transfer.timerFired(now: .seconds(1))
        #expect(oackAgain.packet == start.packet && oackAgain.blocks == nil)
        #expect(oackAgain.deadline == .seconds(3))
        let window = transfer.received(.acknowledgement(block: 0), now: .seconds(2))
        #expect(window.dataBlocks == [1, 2, 3, 4])
        #expect(window.deadline == .seconds(3))  // progress resets the timeout
        #expect(transfer.received(.acknowledgement(block: 4), now: .milliseconds(2500)).dataBlocks == [5, 6, 7, 8])
        // An early (stale) timer is dropped.
        #expect(transfer.timerFired(now: .seconds(3)) == .none)
        var now = Duration.milliseconds(3500)
        var expectedTimeout = Duration.seconds(2)
        for _ in 0..<4 {
            let resent = transfer.timerFired(now: now)
            #expect(resent.dataBlocks == [5, 6, 7, 8])
            #expect(resent.deadline == now + expectedTimeout)
            now += expectedTimeout
            expectedTimeout = min(expectedTimeout * 2, .seconds(8))
        }
        #expect(transfer.retransmittedPackets == 1 + 16)
        #expect(transfer.received(.acknowledgement(block: 8), now: now).dataBlocks == [9, 10, 11])
    }

    @Test func exhaustedRetryBudgetFailsTheTransfer() {
        var transfer = TFTPReadTransfer(size: (100))
        var deadline = transfer.start(now: .zero).deadline
        var retransmissions = 0
        while let now = deadline {
            let actions = transfer.timerFired(now: now)
            if let outcome = actions.outcome {
                #expect(outcome == .failed(.clientStoppedAcknowledging))
                #expect(actions.packetCount == 0)
                break
            }
            retransmissions += actions.dataBlocks.count
            deadline = actions.deadline
        }
        #expect(retransmissions == 5)
        #expect(transfer.retransmittedPackets == 5)
        #expect(transfer.isFinished)
        #expect(transfer.received(.acknowledgement(block: 1), now: .seconds(100)) == .none)
        #expect(transfer.timerFired(now: .seconds(100)) == .none)
    }

    @Test func acknowledgementOfAnEarlierBlockInTheWindowRestartsAfterIt() {
        var transfer = TFTPReadTransfer(size: (20 * 512), settings: TFTPTransferSettings(windowSize: 8))
        #expect(transfer.start(now: .zero).dataBlocks == Array(1...8))
        // Block 4 was lost: the client ACKs 3, the sender goes on from 4 at once.
        #expect(transfer.received(.acknowledgement(block: 3), now: .milliseconds(1)).dataBlocks == Array(4...11))
        // The same gap reported again is a duplicate: nothing is sent.
        #expect(transfer.received(.acknowledgement(block: 3), now: .milliseconds(2)) == .none)
        #expect(transfer.received(.acknowledgement(block: 11), now: .milliseconds(3)).dataBlocks == Array(12...19))
        #expect(transfer.received(.acknowledgement(block: 19), now: .milliseconds(4)).dataBlocks == [20, 21])
        #expect(transfer.received(.acknowledgement(block: 21), now: .milliseconds(5)) == TFTPTransferActions(outcome: .completed))
        #expect(transfer.retransmittedPackets == 0)
    }

    @Test func clientErrorAfterOACKEndsQuietly() {
        var transfer = TFTPReadTransfer(
            size: (4096), optionAcknowledgement: [TFTPOption(name: "tsize", value: "4096")])
        #expect(transfer.start(now: .zero).packetCount == 1)
        let actions = transfer.received(.error(.optionNegotiationFailed, message: "User aborted the transfer"), now: .milliseconds(5))
        #expect(actions == TFTPTransferActions(outcome: .abortedByClient(.optionNegotiationFailed, message: "User aborted the transfer")))
        #expect(transfer.outcome == .abortedByClient(.optionNegotiationFailed, message: "User aborted the transfer"))
    }

    @Test func clientErrorMidTransferEndsQuietly() {
        var transfer = TFTPReadTransfer(size: (4096))
        _ = transfer.start(now: .zero)
        let actions = transfer.received(.error(.diskFull, message: ""), now: .milliseconds(5))
        #expect(actions.packetCount == 0)
        #expect(actions.outcome == .abortedByClient(.diskFull, message: ""))
    }

    @Test func nothingMoreThanOneOACKOrOneWindowBeforeTheFirstAcknowledgement() {
        let bigFile = 1 << 24
        var withOptions = TFTPReadTransfer(
            size: bigFile, settings: TFTPTransferSettings(blockSize: 1468, windowSize: 64),
            optionAcknowledgement: [TFTPOption(name: "blksize", value: "1468"), TFTPOption(name: "windowsize", value: "64")])
        let oack = withOptions.start(now: .zero)
        #expect(oack.packetCount == 1)
        #expect(withOptions.bytesSent == oack.packet?.encode().count)
        #expect(withOptions.bytesSent < 64)
        // Repeated RRQ-like noise before the ACK sends nothing more.
        #expect(withOptions.received(.acknowledgement(block: 7), now: .milliseconds(1)) == .none)
        #expect(withOptions.received(.readRequest(TFTPRequest(filename: "x")), now: .milliseconds(1)) == .none)
        #expect(withOptions.start(now: .milliseconds(2)) == .none)

        var lockstep = TFTPReadTransfer(size: bigFile)
        #expect(lockstep.start(now: .zero).dataBlocks == [1])
        #expect(lockstep.bytesSent == 4 + 512)
    }

    @Test func packetsOfNoUseAreDropped() {
        var transfer = TFTPReadTransfer(size: (4096))
        #expect(transfer.received(.acknowledgement(block: 0), now: .zero) == .none)  // before start
        _ = transfer.start(now: .zero)
        #expect(transfer.received(.data(block: 1, payload: [1]), now: .zero) == .none)
        #expect(transfer.received(.optionAcknowledgement([]), now: .zero) == .none)
        #expect(transfer.received(.writeRequest(TFTPRequest(filename: "x")), now: .zero) == .none)
    }

    @Test func unreadableSourceSendsError0AndFails() {
        var transfer = TFTPReadTransfer(size: 4096)
        let start = transfer.start(now: .zero)
        #expect((try? transfer.packets(for: start, from: UnreadableSource(size: 4096))) == nil)
        // The I/O layer could not read block 1: ERROR 0 and the end, then nothing more.
        #expect(transfer.sourceFailed() == TFTPTransferActions(packet: .error(.notDefined, message: "read error"), outcome: .failed(.sourceUnreadable)))
        #expect(transfer.sourceFailed() == .none)
        #expect(transfer.received(.acknowledgement(block: 1), now: .milliseconds(1)) == .none)
    }

    @Test func blocksLieWhereTheContentSaysAndTheLastOneIsShort() {
        let transfer = TFTPReadTransfer(size: 1000, settings: TFTPTransferSettings(blockSize: 512))
        #expect(transfer.block(1) == TFTPBlock(index: 1, offset: 0, length: 512))
        #expect(transfer.block(2) == TFTPBlock(index: 2, offset: 512, length: 488))
        let exact = TFTPReadTransfer(size: 1024, settings: TFTPTransferSettings(blockSize: 512))
        #expect(exact.block(3) == TFTPBlock(index: 3, offset: 1024, length: 0))
        #expect(TFTPBlock(index: 65536, offset: 0, length: 0).wireNumber == 0)
        #expect(TFTPBlock(index: 65537, offset: 0, length: 0).wireNumber == 1)
    }

    @Test func negotiatedTimeoutIsTheFirstDeadline() throws {
        let agreement = try TFTPOptionNegotiation.negotiateRead([TFTPOption(name: "timeout", value: "3")], fileSize: 10)
        var transfer = TFTPReadTransfer(size: (10), agreement: agreement)
        #expect(transfer.start(now: .seconds(10)).deadline == .seconds(13))
        #expect(transfer.timerFired(now: .seconds(13)).deadline == .seconds(19))
    }
}
