/// The inner IPMB-style message carried in LAN packets, with its two two's-complement checksums (IPMI v2.0 spec §13.8, table 13-4).
///
/// Request:  rsAddr, netFn<<2|rsLUN, chk1, rqAddr, rqSeq<<2|rqLUN, cmd, data…, chk2
/// Response: rqAddr, netFn<<2|rqLUN, chk1, rsAddr, rqSeq<<2|rsLUN, cmd, completion code, data…, chk2
/// LUNs are always 0 here: everything this suite sends goes to the BMC itself.
public enum IPMIMessage {
    /// The sequence number is the 6-bit rqSeq; higher bits are dropped.
    public static func encodeRequest(
        _ request: IPMIRequest, sequence: UInt8, responderAddress: UInt8 = 0x20, requesterAddress: UInt8 = 0x81
    ) -> [UInt8] {
        frame(
            firstAddress: responderAddress, netFn: request.netFn, secondAddress: requesterAddress,
            sequence: sequence, command: request.command, body: request.data)
    }

    public static func encodeResponse(
        _ response: IPMIResponse, sequence: UInt8, responderAddress: UInt8 = 0x20, requesterAddress: UInt8 = 0x81
    ) -> [UInt8] {
        frame(
            firstAddress: requesterAddress, netFn: response.netFn, secondAddress: responderAddress,
            sequence: sequence, command: response.command, body: [response.completionCode] + response.data)
    }

    public static func decodeResponse(_ bytes: [UInt8]) throws(IPMIDecodeError) -> (response: IPMIResponse, sequence: UInt8) {
        // A response carries at least a completion code, so 8 bytes.
        let parts = try unframe(bytes, minimumBody: 1, what: "IPMI response message")
        let response = IPMIResponse(
            netFn: parts.netFn, command: parts.command, completionCode: parts.body[0], data: Array(parts.body.dropFirst()))
        return (response, parts.sequence)
    }

    public static func decodeRequest(_ bytes: [UInt8]) throws(IPMIDecodeError) -> (request: IPMIRequest, sequence: UInt8) {
        let parts = try unframe(bytes, minimumBody: 0, what: "IPMI request message")
        return (IPMIRequest(netFn: parts.netFn, command: parts.command, data: parts.body), parts.sequence)
    }

    private static func frame(
        firstAddress: UInt8, netFn: UInt8, secondAddress: UInt8, sequence: UInt8, command: UInt8, body: [UInt8]
    ) -> [UInt8] {
        let header: [UInt8] = [firstAddress, (netFn & 0x3F) << 2]
        var bytes = header
        bytes.append(TwosComplementChecksum.of(header))
        let rest: [UInt8] = [secondAddress, (sequence & 0x3F) << 2, command] + body
        bytes += rest
        bytes.append(TwosComplementChecksum.of(rest))
        return bytes
    }

    private static func unframe(
        _ bytes: [UInt8], minimumBody: Int, what: String
    ) throws(IPMIDecodeError) -> (netFn: UInt8, sequence: UInt8, command: UInt8, body: [UInt8]) {
        let minimum = 7 + minimumBody
        guard bytes.count >= minimum else {
            throw .truncated(what: what, needed: minimum, available: bytes.count)
        }
        guard TwosComplementChecksum.isValid(bytes[0...2]) else { throw .badChecksum(which: "\(what) header") }
        guard TwosComplementChecksum.isValid(bytes[3...]) else { throw .badChecksum(which: "\(what) body") }
        return (
            netFn: bytes[1] >> 2,
            sequence: bytes[4] >> 2,
            command: bytes[5],
            body: Array(bytes[6..<(bytes.count - 1)])
        )
    }
}
