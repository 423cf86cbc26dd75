import Foundation

/// Deterministic machine identities: the same index and seed always give the same UUID, MACs,
/// serial and loopback address (docs/simulator.md "Identities").
public enum FleetIdentities {
    /// Machine `index` of a fleet seeded with `seed`. Addresses are `127.<second>.<i/250>.<i%250+1>`.
    public static func identity(index: Int, seed: UInt64, addressSecondOctet: Int = 77) -> MachineIdentity {
        var random = SeededRandom(seed: seed, stream: UInt64(index) &+ 1)
        let high = random.next(), low = random.next()
        // Version 4, RFC 4122 variant, like the UUIDs firmware vendors burn in.
        let uuid = uuidString(high: (high & ~0xF000) | 0x4000, low: (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000)
        let nics = 1 + Int(random.next() % 2)
        let disks = 1 + Int(random.next() % 2)
        let macs = (0..<nics).map { nic in
            // 02:… is locally administered; the index makes it unique in the fleet.
            [0x02, 0x5e, Int(seed & 0xff), (index >> 8) & 0xff, index & 0xff, nic].map { String(format: "%02x", $0) }.joined(separator: ":")
        }
        let sizes: [UInt64] = [240 << 30, 480 << 30, 960 << 30, 1920 << 30]
        return MachineIdentity(
            name: String(format: "sim-%03d", index), uuid: uuid, serial: String(format: "SIM%06d", index),
            address: "127.\(addressSecondOctet).\(index / 250).\(index % 250 + 1)", macs: macs,
            diskSizes: (0..<disks).map { _ in sizes[Int(random.next() % UInt64(sizes.count))] },
            cpuCount: [8, 16, 32, 64][Int(random.next() % 4)], memoryBytes: UInt64([32, 64, 128, 256][Int(random.next() % 4)]) << 30)
    }

    static func uuidString(high: UInt64, low: UInt64) -> String {
        let hex = String(format: "%016llx%016llx", high, low)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    /// Which machines get a fault: `fraction` of `count`, rounded, picked by a seeded shuffle
    /// (each fault its own `salt`, so faults do not all land on the same machines).
    public static func chosen(fraction: Double, count: Int, seed: UInt64, salt: UInt64) -> Set<Int> {
        let wanted = min(count, Int((fraction * Double(count)).rounded()))
        guard wanted > 0 else { return [] }
        var random = SeededRandom(seed: seed ^ salt, stream: 0xFA17)
        return Set(Array(0..<count).shuffled(using: &random).prefix(wanted))
    }
}
