/// Passwords for the BMC user the agent creates: [A-Za-z0-9], 16 characters by default (the
/// 16-byte form of Set User Password, which every BMC has). 62^16 ≈ 2^95.
public enum BMCPassword {
    public static let alphabet: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    public static let defaultLength = 16

    /// A fresh password from the system's cryptographic generator.
    public static func generate(length: Int = defaultLength) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(length: length, using: &generator)
    }

    /// A password drawn from `generator` (tests pass a seeded one); each character is uniform.
    public static func generate<Generator: RandomNumberGenerator>(length: Int = defaultLength, using generator: inout Generator) -> String {
        String((0..<max(0, length)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
