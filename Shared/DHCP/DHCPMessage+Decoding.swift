extension DHCPMessage {
    /// Decodes a message received from the network. Any malformed input throws a
    /// `DHCPDecodingError` naming the problem and its offset; nothing is trusted.
    ///
    /// Pad options are skipped and the end option stops the option area (a missing end
    /// option is tolerated). With option 52 the `file` then `sname` fields hold options too.
    public init(decoding bytes: some Collection<UInt8>) throws(DHCPDecodingError) {
        let bytes = Array(bytes)
        let cookieEnd = Self.headerLength + Self.magicCookie.count
        guard bytes.count >= cookieEnd else { throw .truncatedHeader(length: bytes.count) }
        guard let operation = Operation(rawValue: bytes[0]) else { throw .unknownOperation(bytes[0]) }
        guard bytes[2] <= 16 else { throw .hardwareAddressTooLong(bytes[2]) }
        let cookie = Array(bytes[Self.headerLength..<cookieEnd])
        guard cookie == Self.magicCookie else { throw .badMagicCookie(cookie) }

        var options = try Self.decodeOptions(bytes, from: cookieEnd, to: bytes.count)
        let snameRange = 44..<108
        let fileRange = 108..<236
        var sname = Array(bytes[snameRange])
        var file = Array(bytes[fileRange])
        if let overload = options.first(where: { $0.code == DHCPOptionCode.optionOverload }) {
            guard overload.data.count == 1, (1...3).contains(overload.data[0]) else { throw .badOptionOverload(overload.data) }
            // RFC 2131 section 4.1: options, then file, then sname.
            if overload.data[0] & 1 != 0 {
                options += try Self.decodeOptions(bytes, from: fileRange.lowerBound, to: fileRange.upperBound)
                file = []
            }
            if overload.data[0] & 2 != 0 {
                options += try Self.decodeOptions(bytes, from: snameRange.lowerBound, to: snameRange.upperBound)
                sname = []
            }
        }
        self.init(
            operation: operation, hardwareType: bytes[1], hardwareAddressLength: bytes[2], hops: bytes[3],
            xid: Self.uint32(bytes, at: 4), secs: UInt16(bytes[8]) << 8 | UInt16(bytes[9]), flags: UInt16(bytes[10]) << 8 | UInt16(bytes[11]),
            ciaddr: IPv4Address(bytes: bytes[12..<16]), yiaddr: IPv4Address(bytes: bytes[16..<20]),
            siaddr: IPv4Address(bytes: bytes[20..<24]), giaddr: IPv4Address(bytes: bytes[24..<28]),
            chaddr: Array(bytes[28..<28 + Int(bytes[2])]), sname: Self.trimmingNULs(sname), file: Self.trimmingNULs(file),
            options: options.filter { $0.code != DHCPOptionCode.optionOverload })
    }

    /// The options in `bytes[start..<end]`, stopping at an end option.
    private static func decodeOptions(_ bytes: [UInt8], from start: Int, to end: Int) throws(DHCPDecodingError) -> [DHCPOption] {
        var options: [DHCPOption] = []
        var offset = start
        while offset < end {
            let code = bytes[offset]
            if code == DHCPOptionCode.end { break }
            if code == DHCPOptionCode.pad {
                offset += 1
                continue
            }
            guard offset + 1 < end else { throw .optionLengthMissing(code: code, offset: offset) }
            let length = Int(bytes[offset + 1])
            let dataStart = offset + 2
            guard dataStart + length <= end else {
                throw .optionBeyondEnd(code: code, offset: offset, length: length, available: end - dataStart)
            }
            options.append(DHCPOption(code, Array(bytes[dataStart..<dataStart + length])))
            offset = dataStart + length
        }
        return options
    }

    private static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func trimmingNULs(_ field: [UInt8]) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }
}
