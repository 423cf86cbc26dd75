import Testing
@testable import AnvilAgent

/// A fixed-sequence generator (SplitMix64), so tests see the same passwords every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct BMCPasswordTests {
    @Test func sixteenAlphanumericCharacters() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<50 {
            let password = BMCPassword.generate()
            #expect(password.count == 16 && password.utf8.count == 16)
            #expect(password.allSatisfy { allowed.contains($0) }, "\(password)")
        }
        #expect(BMCPassword.alphabet.count == 62)
    }

    @Test func theGeneratorIsInjectable() {
        var first = SeededGenerator(state: 42)
        var second = SeededGenerator(state: 42)
        let a = BMCPassword.generate(using: &first)
        #expect(a == BMCPassword.generate(using: &second))
        #expect(a != BMCPassword.generate(using: &first))
        #expect(BMCPassword.generate(length: 20, using: &first).count == 20)
    }

    @Test func systemPasswordsDiffer() {
        #expect(Set((0..<20).map { _ in BMCPassword.generate() }).count == 20)
    }

    @Test func everyCharacterTurnsUp() {
        var generator = SeededGenerator(state: 7)
        let seen = Set((0..<200).flatMap { _ in BMCPassword.generate(using: &generator) })
        #expect(seen.count == 62)
    }
}
