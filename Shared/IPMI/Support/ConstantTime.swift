/// Comparison whose time does not depend on where the bytes differ, so AuthCodes leak nothing (IPMI v2.0 spec §13.28.4).
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
