/// Which bytes of a disk a wipe zeroes (docs/agent.md "Wipe"). Pure, so the ranges for every
/// disk size are unit-tested.
public enum WipeMode: String, Sendable, Equatable {
    /// Partition tables and their GPT backup: the first and last MiB, after a discard of the whole device.
    case fast
    /// Every byte.
    case full
}

/// A byte range of a device.
public struct ByteRange: Sendable, Equatable, CustomStringConvertible {
    public var offset: UInt64
    public var length: UInt64

    public init(offset: UInt64, length: UInt64) {
        self.offset = offset
        self.length = length
    }

    public var end: UInt64 { offset + length }
    public var description: String { "[\(offset), \(end))" }
}

public struct WipePlan: Sendable, Equatable {
    /// Discard the whole device first (errors ignored: many devices cannot).
    public var discardWholeDevice: Bool
    /// Ranges to zero, in order, none longer than the chunk size, so progress can be reported.
    public var zeroRanges: [ByteRange]

    public var bytesToZero: UInt64 { zeroRanges.reduce(0) { $0 + $1.length } }

    public static let edge: UInt64 = 1 << 20
    public static let defaultChunk: UInt64 = 64 << 20

    /// The plan for a device of `size` bytes.
    public init(size: UInt64, mode: WipeMode, chunk: UInt64 = WipePlan.defaultChunk) {
        precondition(chunk > 0, "chunk must be positive")
        switch mode {
        case .fast:
            discardWholeDevice = true
            if size <= 2 * Self.edge {
                zeroRanges = Self.split(ByteRange(offset: 0, length: size), chunk: chunk)
            } else {
                zeroRanges = Self.split(ByteRange(offset: 0, length: Self.edge), chunk: chunk)
                    + Self.split(ByteRange(offset: size - Self.edge, length: Self.edge), chunk: chunk)
            }
        case .full:
            discardWholeDevice = false
            zeroRanges = Self.split(ByteRange(offset: 0, length: size), chunk: chunk)
        }
    }

    static func split(_ range: ByteRange, chunk: UInt64) -> [ByteRange] {
        guard range.length > 0 else { return [] }
        return stride(from: range.offset, to: range.end, by: Int(chunk)).map { start in
            ByteRange(offset: start, length: min(chunk, range.end - start))
        }
    }
}
