import AnvilTFTP
import Testing

@Suite struct TFTPOptionNegotiationTests {
    typealias Negotiation = TFTPOptionNegotiation
    static let limits = TFTPServerOptionLimits(maximumBlockSize: 1468, maximumWindowSize: 16)

    static func options(_ pairs: [(String, String)]) -> [TFTPOption] {
        pairs.map { TFTPOption(name: $0.0, value: $0.1) }
    }

    static let table: [(String, [(String, String)], TFTPTransferSettings, [(String, String)])] = [
        ("no options → no OACK", [], TFTPTransferSettings(), []),
        ("blksize granted", [("blksize", "1024")], TFTPTransferSettings(blockSize: 1024), [("blksize", "1024")]),
        ("blksize upper case", [("BLKSIZE", "1024")], TFTPTransferSettings(blockSize: 1024), [("blksize", "1024")]),
        ("blksize mixed case", [("BlkSize", "8")], TFTPTransferSettings(blockSize: 8), [("blksize", "8")]),
        ("blksize above server max → max", [("blksize", "65464")], TFTPTransferSettings(blockSize: 1468), [("blksize", "1468")]),
        ("blksize above RFC max → server max", [("blksize", "99999999999999999999999")], TFTPTransferSettings(blockSize: 1468), [("blksize", "1468")]),
        ("blksize not a number → dropped", [("blksize", "12a")], TFTPTransferSettings(), []),
        ("blksize empty → dropped", [("blksize", "")], TFTPTransferSettings(), []),
        ("tsize answered with file size", [("tsize", "0")], TFTPTransferSettings(), [("tsize", "123456")]),
        ("tsize not a number → dropped", [("tsize", "x")], TFTPTransferSettings(), []),
        ("timeout granted", [("timeout", "3")], TFTPTransferSettings(timeoutSeconds: 3), [("timeout", "3")]),
        ("timeout 255 granted", [("TIMEOUT", "255")], TFTPTransferSettings(timeoutSeconds: 255), [("timeout", "255")]),
        ("timeout 0 → dropped", [("timeout", "0")], TFTPTransferSettings(), []),
        ("timeout 256 → dropped", [("timeout", "256")], TFTPTransferSettings(), []),
        ("windowsize granted", [("windowsize", "8")], TFTPTransferSettings(windowSize: 8), [("windowsize", "8")]),
        ("windowsize above server max → max", [("WindowSize", "65535")], TFTPTransferSettings(windowSize: 16), [("windowsize", "16")]),
        ("windowsize not a number → dropped", [("windowsize", "-1")], TFTPTransferSettings(), []),
        ("unknown options ignored", [("multicast", ""), ("rollover", "0"), ("utimeout", "500")], TFTPTransferSettings(), []),
        ("first occurrence wins", [("blksize", "1024"), ("BLKSIZE", "512")], TFTPTransferSettings(blockSize: 1024), [("blksize", "1024")]),
        ("all together, client order kept",
         [("tsize", "0"), ("blksize", "1468"), ("foo", "bar"), ("windowsize", "8"), ("timeout", "2")],
         TFTPTransferSettings(blockSize: 1468, windowSize: 8, timeoutSeconds: 2),
         [("tsize", "123456"), ("blksize", "1468"), ("windowsize", "8"), ("timeout", "2")]),
    ]

    @Test func negotiationTable() throws {
        for (name, requested, settings, acknowledged) in Self.table {
            let agreement = try Negotiation.negotiateRead(Self.options(requested), fileSize: 123_456, limits: Self.limits)
            #expect(agreement.settings == settings, "\(name)")
            #expect(agreement.acknowledgedOptions == Self.options(acknowledged), "\(name)")
        }
    }

    @Test func tsizeIsDroppedWhenTheSizeIsUnknown() throws {
        let agreement = try Negotiation.negotiateRead(Self.options([("tsize", "0")]), fileSize: nil)
        #expect(agreement.acknowledgedOptions.isEmpty)
    }

    /// curl rejects an OACK carrying `tsize 0`, so an empty file's size is not acknowledged.
    @Test func tsizeIsDroppedForAnEmptyFile() throws {
        let agreement = try Negotiation.negotiateRead(Self.options([("tsize", "0"), ("blksize", "1468")]), fileSize: 0)
        #expect(agreement.acknowledgedOptions == Self.options([("blksize", "1468")]))
    }

    @Test func valuesNoSmallerAnswerCanSatisfyFailWithError8() {
        for (name, value) in [("blksize", "7"), ("blksize", "0"), ("windowsize", "0"), ("WINDOWSIZE", "00")] {
            #expect(throws: TFTPOptionNegotiation.Failure.self, "\(name) \(value)") {
                _ = try Negotiation.negotiateRead(Self.options([(name, value)]), fileSize: 1)
            }
        }
        do {
            _ = try Negotiation.negotiateRead(Self.options([("blksize", "4")]), fileSize: 1)
            Issue.record("blksize 4 accepted")
        } catch {
            guard case .error(let code, _) = error.errorPacket else { Issue.record("not an ERROR"); return }
            #expect(code == .optionNegotiationFailed)
        }
    }

    @Test func defaultLimitsGrantEthernetBlocks() throws {
        let agreement = try Negotiation.negotiateRead(Self.options([("blksize", "65464"), ("windowsize", "65535")]), fileSize: 0)
        #expect(agreement.settings.blockSize == 1468)
        #expect(agreement.settings.windowSize == 64)
    }
}
