extension DHCPMessage {
    /// The smallest message BOOTP relays and old servers accept (RFC 1542 section 2.1): shorter ones are padded.
    static let minimumLength = 300

    /// The message as it goes on the wire. Options longer than 255 bytes are split into
    /// several instances (RFC 3396); `sname` and `file` are cut or NUL-padded to their fields.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.minimumLength)
        bytes.append(operation.rawValue)
        bytes.append(hardwareType)
        bytes.append(hardwareAddressLength)
        bytes.append(hops)
        bytes.appendBigEndian(xid)
        bytes.appendBigEndian(secs)
        bytes.appendBigEndian(flags)
        for address in [ciaddr, yiaddr, siaddr, giaddr] { bytes.append(contentsOf: address.octets) }
        bytes.appendField(chaddr, length: 16)
        bytes.appendField(sname, length: 64)
        bytes.appendField(file, length: 128)
        bytes.append(contentsOf: Self.magicCookie)
        for option in options {
            var rest = option.data[...]
            repeat {
                let chunk = rest.prefix(255)
                bytes.append(option.code)
                bytes.append(UInt8(chunk.count))
                bytes.append(contentsOf: chunk)
                rest = rest.dropFirst(chunk.count)
            } while !rest.isEmpty
        }
        bytes.append(DHCPOptionCode.end)
        if bytes.count < Self.minimumLength {
            bytes.append(contentsOf: repeatElement(DHCPOptionCode.pad, count: Self.minimumLength - bytes.count))
        }
        return bytes
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)])
    }

    mutating func appendBigEndian(_ value: UInt16) {
        append(contentsOf: [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)])
    }

    /// Appends `field` cut or NUL-padded to exactly `length` bytes.
    mutating func appendField(_ field: [UInt8], length: Int) {
        let kept = field.prefix(length)
        append(contentsOf: kept)
        append(contentsOf: repeatElement(0, count: length - kept.count))
    }
}
