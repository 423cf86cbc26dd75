/// Random bytes for IVs, console randoms and session IDs (the system CSPRNG).
enum IPMIRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A session ID: any value but 0, which means "no session".
    static func sessionID() -> UInt32 {
        var generator = SystemRandomNumberGenerator()
        return UInt32.random(in: 1 ... .max, using: &generator)
    }
}
