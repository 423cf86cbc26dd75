/// Boot options parameter 5, "boot flags": one-time or persistent boot device override (IPMI v2.0 spec §28.13, table 28-14).
///
/// Byte 1: bit 7 valid, bit 6 persistent, bit 5 EFI boot. Byte 2: device selector in bits 5:2. Bytes 3–5
/// (console redirection, BIOS mux, device instance) are sent as zero and ignored when decoding.
public struct BootFlags: Sendable, Hashable {
    public static let parameter: UInt8 = 5

    public var valid: Bool
    /// Applies to all future boots instead of the next one only.
    public var persistent: Bool
    /// Boot in EFI (UEFI) mode rather than PC-compatible legacy mode.
    public var efi: Bool
    public var device: BootFlagsDevice

    public init(valid: Bool = true, persistent: Bool = false, efi: Bool = true, device: BootFlagsDevice) {
        self.valid = valid
        self.persistent = persistent
        self.efi = efi
        self.device = device
    }

    /// The 5 parameter data bytes, e.g. `A0 04 00 00 00` for a one-time UEFI PXE boot.
    public func encode() -> [UInt8] {
        var first: UInt8 = 0
        if valid { first |= 0x80 }
        if persistent { first |= 0x40 }
        if efi { first |= 0x20 }
        return [first, device.rawValue, 0x00, 0x00, 0x00]
    }

    public static func decode(_ bytes: [UInt8]) throws(IPMICommandError) -> BootFlags {
        guard bytes.count >= 2 else {
            throw .malformed("boot flags: \(bytes.count) bytes, needs at least 2")
        }
        let selector = bytes[1] & 0x3C
        guard let device = BootFlagsDevice(rawValue: selector) else {
            throw .malformed("boot flags: unknown boot device selector \(hexByte(selector))")
        }
        return BootFlags(
            valid: bytes[0] & 0x80 != 0, persistent: bytes[0] & 0x40 != 0, efi: bytes[0] & 0x20 != 0, device: device)
    }
}

/// Boot device selector values as they sit in byte 2 (already shifted into bits 5:2).
public enum BootFlagsDevice: UInt8, Sendable, Hashable, CaseIterable {
    case noOverride = 0x00
    case pxe = 0x04
    case disk = 0x08
    case safeMode = 0x0C
    case diagnostic = 0x10
    case cdrom = 0x14
    case biosSetup = 0x18
    case remoteFloppy = 0x1C
    case remoteCDROM = 0x20
    case primaryRemoteMedia = 0x24
    case remoteDisk = 0x2C
    case floppy = 0x3C
}
