import AnvilBootFiles
import AnvilTFTP
import NIOCore

/// What to do with a datagram that arrived on the listening port from a client with no transfer.
enum TFTPRequestDecision {
    /// Answer with this ERROR; `reason` labels the refusal metric.
    case refuse(TFTPPacket, reason: String)
    /// Drop silently (a client's ERROR for a transfer that no longer exists).
    case ignore
    /// Start this transfer (already admitted: call ``TFTPServerContext/finished(_:)`` when it ends).
    case start(TFTPReadTransfer, data: TFTPDataSource, file: String, fileBytes: Int)

    /// Decodes and checks one request: path, file, options, then admission, in that order so a
    /// refused request never holds a transfer slot.
    static func decide(_ datagram: ByteBuffer, clientIP: String, context: TFTPServerContext) -> TFTPRequestDecision {
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket.decode(Array(datagram.readableBytesView))
        } catch {
            // Over-long or too many fields are refused as access violations, like bad paths.
            switch error {
            case .filenameTooLong, .tooManyOptions, .optionTooLong:
                return .refuse(.error(.accessViolation, message: error.summary), reason: "access_violation")
            default:
                return .refuse(.error(.illegalOperation, message: "malformed request: \(error.summary)"), reason: "malformed")
            }
        }
        switch packet {
        case .readRequest(let request):
            context.logger.debug("read request", metadata: [
                "client": "\(clientIP)", "file": "\(request.filename)", "mode": "\(request.mode.rawValue)",
                "options": "\(request.options.map { "\($0.name)=\($0.value)" }.joined(separator: ","))"])
            return decideRead(request, clientIP: clientIP, context: context)
        case .writeRequest:
            return .refuse(.error(.accessViolation, message: "this server is read-only"), reason: "write_request")
        case .data, .acknowledgement, .optionAcknowledgement:
            return .refuse(.error(.unknownTransferID, message: "unknown transfer ID"), reason: "unknown_tid")
        case .error:
            return .ignore
        }
    }

    private static func decideRead(_ request: TFTPRequest, clientIP: String, context: TFTPServerContext) -> TFTPRequestDecision {
        let file: BootFile
        do {
            file = try context.root.open(request.filename)
        } catch {
            let code: TFTPErrorCode = error.isNotFound ? .fileNotFound : .accessViolation
            return .refuse(.error(code, message: "\(error)"), reason: error.reason)
        }
        var content: [UInt8]?
        let size: Int
        switch (request.mode, file.content) {
        case (.octet, .memory(let bytes)):
            content = bytes
            size = bytes.count
        case (.octet, .descriptor):
            size = file.size
        case (.netascii, _):
            guard file.size <= 16 << 20, let bytes = try? file.allBytes() else {
                return .refuse(.error(.notDefined, message: "netascii is offered for files up to 16 MiB; use octet"), reason: "unreadable")
            }
            let converted = TFTPNetASCII.encode(bytes)
            content = converted
            size = converted.count
        }
        let agreement: TFTPOptionNegotiation.Agreement
        do {
            agreement = try TFTPOptionNegotiation.negotiateRead(request.options, fileSize: size, limits: context.settings.optionLimits)
        } catch {
            return .refuse(error.errorPacket, reason: "option_negotiation")
        }
        if let refusal = context.admit(client: clientIP) {
            let message = refusal == .serverBusy ? "server busy, try again" : "too many transfers from \(clientIP), try again"
            return .refuse(.error(.notDefined, message: message), reason: "")
        }
        let transfer = TFTPReadTransfer(size: size, agreement: agreement, policy: context.settings.retransmitPolicy)
        let blockSize = agreement.settings.blockSize
        let data: TFTPDataSource
        if let content, TFTPPacketizedContent.packetizedBytes(size: size, blockSize: blockSize) <= TFTPPacketizedContent.maximumBytes {
            let key = TFTPPacketCache.Key(path: file.path.description, identity: file.identity, netascii: request.mode == .netascii, blockSize: blockSize)
            data = .packetized(context.packets.packets(for: key) {
                TFTPPacketizedContent(content: content, blockSize: blockSize, allocator: context.allocator)
            })
        } else if let content {
            data = .blocks(TFTPInMemorySource(content))
        } else {
            data = .blocks(TFTPBootFileSource(file: file))
        }
        return .start(transfer, data: data, file: file.path.description, fileBytes: size)
    }
}

extension TFTPDecodeError {
    /// A short explanation for the ERROR message sent back.
    var summary: String {
        switch self {
        case .truncated: "truncated packet"
        case .unknownOpcode(let opcode): "unknown opcode \(opcode)"
        case .missingTerminator: "a field has no NUL terminator"
        case .emptyFilename: "empty file name"
        case .filenameTooLong(let length): "file name too long (\(length) bytes)"
        case .invalidText: "text is not UTF-8"
        case .unknownMode: "mode must be octet or netascii"
        case .optionWithoutValue: "an option has no value"
        case .tooManyOptions: "too many options"
        case .emptyOptionName: "empty option name"
        case .optionTooLong: "option too long"
        case .dataTooLong: "data too long"
        }
    }
}
