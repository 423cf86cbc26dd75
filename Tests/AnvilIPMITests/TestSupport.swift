@testable import AnvilIPMI

extension Array where Element == UInt8 {
    /// Bytes from a hex string; spaces are ignored ("06 00 ff 07").
    init(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd hex string")
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    var hex: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}

/// SplitMix64: reproducible pseudo-random bytes for fuzzing, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

enum Fixtures {
    static let suite3Keys = RAKPKeyExchange(
        suite: .suite3, password: Array("password".utf8), userName: Array("admin".utf8), role: 0x14,
        consoleSessionID: 0x0A0B_0C0D, managedSystemSessionID: 0x1234_5678, consoleRandom: Array(0xA0...0xAF),
        managedSystemRandom: Array(0xB0...0xBF), managedSystemGUID: Array(0xC0...0xCF)
    ).sessionKeys()

    static let suite17Keys = RAKPKeyExchange(
        suite: .suite17, password: Array("password".utf8), userName: Array("admin".utf8), role: 0x14,
        consoleSessionID: 0x0A0B_0C0D, managedSystemSessionID: 0x1234_5678, consoleRandom: Array(0xA0...0xAF),
        managedSystemRandom: Array(0xB0...0xBF), managedSystemGUID: Array(0xC0...0xCF)
    ).sessionKeys()

    static let iv: [UInt8] = Array(0x10...0x1F)
}
