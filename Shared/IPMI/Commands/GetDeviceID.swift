/// Get Device ID, App 0x06/0x01: who the BMC is and which firmware and IPMI version it runs (IPMI v2.0 spec §20.1).
public enum GetDeviceID {
    public static let name = "Get Device ID"
    public static let netFn = IPMINetFn.app
    public static let command: UInt8 = 0x01

    public static func request() -> IPMIRequest {
        IPMIRequest(netFn: netFn, command: command)
    }

    public static func parse(_ response: IPMIResponse) throws(IPMICommandError) -> IPMIDeviceID {
        let data = try response.successData(command: name, minimumCount: 11)
        let minorBCD = data[3]
        return IPMIDeviceID(
            deviceID: data[0],
            deviceRevision: data[1] & 0x0F,
            providesDeviceSDRs: data[1] & 0x80 != 0,
            firmwareMajor: data[2] & 0x7F,
            // Minor revision is two BCD digits: 0x23 is 23.
            firmwareMinor: (minorBCD >> 4) * 10 + (minorBCD & 0x0F),
            deviceAvailable: data[2] & 0x80 == 0,
            // IPMI version is BCD with the least significant digit in bits 7:4: 0x02 is "2.0", 0x51 is "1.5".
            ipmiVersion: "\(data[4] & 0x0F).\(data[4] >> 4)",
            additionalDeviceSupport: data[5],
            manufacturerID: (UInt32(data[6]) | UInt32(data[7]) << 8 | UInt32(data[8]) << 16) & 0x0F_FFFF,
            productID: UInt16(data[9]) | UInt16(data[10]) << 8,
            auxiliaryFirmwareRevision: data.count >= 15 ? Array(data[11..<15]) : nil)
    }
}

/// What Get Device ID reports (IPMI v2.0 spec §20.1, table 20-2).
public struct IPMIDeviceID: Sendable, Hashable {
    public var deviceID: UInt8
    public var deviceRevision: UInt8
    public var providesDeviceSDRs: Bool
    public var firmwareMajor: UInt8
    /// Decoded from BCD.
    public var firmwareMinor: UInt8
    /// False while the device is in firmware update or self-initialisation.
    public var deviceAvailable: Bool
    /// "2.0", "1.5", …
    public var ipmiVersion: String
    public var additionalDeviceSupport: UInt8
    /// IANA enterprise number, 20 bits.
    public var manufacturerID: UInt32
    public var productID: UInt16
    public var auxiliaryFirmwareRevision: [UInt8]?
}
