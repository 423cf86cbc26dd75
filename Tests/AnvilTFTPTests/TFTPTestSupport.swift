import AnvilTFTP

/// Content computed from the offset, so large files need no large arrays.
struct PatternSource: TFTPBlockSource {
    let size: Int

    /// Constant over each 256-byte run, so blocks are built from a few fills (fast in debug builds).
    static func byte(at offset: Int) -> UInt8 { UInt8(truncatingIfNeeded: (offset >> 8) &* 31 &+ offset >> 16) }

    func bytes(at offset: Int, length: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length)
        var position = offset
        while position < offset + length {
            let runEnd = min((position | 0xFF) + 1, offset + length)
            bytes.append(contentsOf: [UInt8](repeating: Self.byte(at: position), count: runEnd - position))
            position = runEnd
        }
        return bytes
    }
}

struct UnreadableSource: TFTPBlockSource {
    struct ReadFailure: Error {}
    let size: Int
    func bytes(at offset: Int, length: Int) throws -> [UInt8] { throw ReadFailure() }
}

/// Deterministic PRNG for fuzzing (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension TFTPTransferActions {
    /// Wire numbers of the DATA blocks asked for.
    var dataBlocks: [UInt16] { (blocks.map(Array.init) ?? []).map { UInt16(truncatingIfNeeded: $0) } }
}

extension TFTPReadTransfer {
    /// The datagrams `actions` asks for, with payloads from `source`.
    func sent(_ actions: TFTPTransferActions, from source: some TFTPBlockSource) -> [TFTPPacket] {
        (try? packets(for: actions, from: source)) ?? []
    }
}

/// A well-behaved client: ACKs the OACK with 0 and each batch with the last in-order block.
struct CooperativeClient<Source: TFTPBlockSource> {
    var transfer: TFTPReadTransfer
    let source: Source
    let blockSize: Int
    var nextWireBlock: UInt16 = 1
    var receivedBytes = 0
    var dataPackets = 0
    var largestBatch = 0
    var sawWireBlockZeroData = false
    /// Called with (offset, payload) for every in-order block.
    var check: (Int, [UInt8]) -> Void

    init(transfer: TFTPReadTransfer, source: Source, check: @escaping (Int, [UInt8]) -> Void) {
        self.transfer = transfer
        self.source = source
        self.blockSize = transfer.settings.blockSize
        self.check = check
    }

    mutating func run() -> TFTPTransferOutcome? {
        var now = Duration.zero
        var actions = transfer.start(now: now)
        while true {
            if let outcome = actions.outcome { return outcome }
            var acknowledgement: UInt16?
            var batch = 0
            for packet in transfer.sent(actions, from: source) {
                switch packet {
                case .optionAcknowledgement: acknowledgement = 0
                case .data(let block, let payload) where block == nextWireBlock:
                    batch += 1
                    dataPackets += 1
                    if block == 0 { sawWireBlockZeroData = true }
                    check(receivedBytes, payload)
                    receivedBytes += payload.count
                    acknowledgement = block
                    nextWireBlock &+= 1
                default: break
                }
            }
            largestBatch = max(largestBatch, batch)
            guard let acknowledgement else { return nil }
            now += .milliseconds(1)
            actions = transfer.received(.acknowledgement(block: acknowledgement), now: now)
        }
    }
}
