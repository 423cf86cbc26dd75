/// The query iPXE sends to `/ipxe` (the chain URL in ``IPXEScript/boot(endpoint:port:)``), checked.
public struct BootQuery: Hashable, Sendable {
    /// SMBIOS system UUID, lower case: the Server's name.
    public var uuid: String
    /// MAC of the NIC that booted, lower case with colons (iPXE sends hyphens).
    public var mac: String?
    /// `amd64` or `arm64` (iPXE's `${buildarch}`: x86_64/i386 → amd64, arm64 → arm64).
    public var arch: String
    public var hostname: String?
    public var domain: String?
    public var serial: String?

    public init(uuid: String, mac: String? = nil, arch: String = "amd64", hostname: String? = nil, domain: String? = nil, serial: String? = nil) {
        self.uuid = uuid
        self.mac = mac
        self.arch = arch
        self.hostname = hostname
        self.domain = domain
        self.serial = serial
    }

    /// Builds the query from decoded parameters; the error message names the bad parameter.
    public init(parameters: [String: String]) throws(BootRequestError) {
        guard let rawUUID = parameters["uuid"], !rawUUID.isEmpty else {
            throw BootRequestError("missing uuid: the chain URL must carry uuid=${uuid}")
        }
        guard let uuid = Self.normalizedUUID(rawUUID) else {
            throw BootRequestError("malformed uuid \"\(rawUUID.prefix(64))\": expected 8-4-4-4-12 hexadecimal digits")
        }
        self.uuid = uuid
        if let rawMAC = parameters["mac"], !rawMAC.isEmpty {
            guard let mac = Self.normalizedMAC(rawMAC) else {
                throw BootRequestError("malformed mac \"\(rawMAC.prefix(64))\": expected six hexadecimal octets separated by '-' or ':'")
            }
            self.mac = mac
        }
        arch = parameters["arch"] == "arm64" ? "arm64" : "amd64"
        hostname = parameters["hostname"].flatMap { $0.isEmpty ? nil : $0 }
        domain = parameters["domain"].flatMap { $0.isEmpty ? nil : $0 }
        serial = parameters["serial"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `8-4-4-4-12` hex, any case → lower case; nil otherwise. Byte-wise: it runs per request.
    public static func normalizedUUID(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var lowered = bytes
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard let lower = lowerHexDigit(byte) else { return nil }
                lowered[index] = lower
            }
        }
        return lowered == bytes ? text : String(decoding: lowered, as: UTF8.self)
    }

    /// `aa-bb-cc-dd-ee-ff` or `aa:bb:…` → `aa:bb:cc:dd:ee:ff`; nil otherwise.
    public static func normalizedMAC(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else { return nil }
        let separator = bytes[2]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: ":") else { return nil }
        var normalized = bytes
        for (index, byte) in bytes.enumerated() {
            if index % 3 == 2 {
                guard byte == separator else { return nil }
                normalized[index] = UInt8(ascii: ":")
            } else {
                guard let lower = lowerHexDigit(byte) else { return nil }
                normalized[index] = lower
            }
        }
        return String(decoding: normalized, as: UTF8.self)
    }

    private static func lowerHexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): return byte
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte + 32
        default: return nil
        }
    }
}

/// A boot request that cannot be answered as asked (HTTP 400); the message names the problem.
public struct BootRequestError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
