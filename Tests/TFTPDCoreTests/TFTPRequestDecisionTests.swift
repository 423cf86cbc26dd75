import AnvilBootFiles
import AnvilDaemon
import AnvilResources
import AnvilStore
import AnvilTFTP
import Foundation
import Logging
import NIOCore
import Prometheus
import Testing
@testable import TFTPDCore

/// What the listener does with a datagram from a client without a transfer: refuse (with which
/// ERROR and metric reason), ignore, or start a transfer, in path, file, options, admission order.
@Suite struct TFTPRequestDecisionTests {
    static let bootFile = Array("#!ipxe\nchain http://192.0.2.1:8081/boot.ipxe\n".utf8)

    /// A server context over a root holding `ipxe.efi` and `text.cfg`, with the given tftpd flags.
    func withContext(_ arguments: [String] = [], _ body: (TFTPServerContext) throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tftpd-core-tests-\(UUID().uuidString)", isDirectory: true)
        let rootDirectory = directory.appendingPathComponent("tftp", isDirectory: true)
        try FileManager.default.createDirectory(at: rootDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.bootFile).write(to: rootDirectory.appendingPathComponent("ipxe.efi"))
        try Data("a\nb".utf8).write(to: rootDirectory.appendingPathComponent("text.cfg"))
        let source = SettingSource(environment: [:], currentDirectory: directory.path)
        let config = try DaemonConfig(descriptor: .tftpd, options: DaemonOptions.parse(["--state", directory.path]), source: source)
        let settings = try TFTPDSettings(options: TFTPDOptions.parse(arguments), config: config, source: source)
        let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
        let logger = Logger(label: "tftpd-core-tests")
        let context = TFTPServerContext(
            settings: settings, root: try BootFileRoot(directory: rootDirectory.path),
            metrics: TFTPMetrics(registry: PrometheusCollectorRegistry()), logger: logger,
            events: EventBatchRecorder(store: store, source: "tftpd", logger: logger))
        try body(context)
    }

    func decide(_ bytes: [UInt8], _ context: TFTPServerContext, client: String = "192.0.2.50") -> TFTPRequestDecision {
        TFTPRequestDecision.decide(ByteBuffer(bytes: bytes), clientIP: client, context: context)
    }

    func read(_ file: String, mode: TFTPMode = .octet, options: [TFTPOption] = []) -> [UInt8] {
        TFTPPacket.readRequest(TFTPRequest(filename: file, mode: mode, options: options)).encode()
    }

    /// The refusal's packet and metric reason, or nil when not refused.
    func refusal(_ decision: TFTPRequestDecision) -> (packet: TFTPPacket, reason: String)? {
        guard case .refuse(let packet, let reason) = decision else { return nil }
        return (packet, reason)
    }

    func errorCode(_ decision: TFTPRequestDecision) -> TFTPErrorCode? {
        guard case .error(let code, _)? = refusal(decision)?.packet else { return nil }
        return code
    }

    @Test func aMalformedDatagramIsAnIllegalOperation() async throws {
        try await withContext { context in
            let refused = try #require(refusal(decide([0, 1, 0x61], context)))
            #expect(refused.reason == "malformed")
            guard case .error(let code, let message) = refused.packet else { Issue.record("not an ERROR"); return }
            #expect(code == .illegalOperation)
            #expect(message.hasPrefix("malformed request: "), "\(message)")
        }
    }

    @Test func anOverlongFileNameIsAnAccessViolation() async throws {
        try await withContext { context in
            let refused = try #require(refusal(decide(read(String(repeating: "a", count: 300)), context)))
            #expect(refused.reason == "access_violation")
            #expect(errorCode(decide(read(String(repeating: "a", count: 300)), context)) == .accessViolation)
        }
    }

    @Test func writesAreRefusedAsReadOnly() async throws {
        try await withContext { context in
            let request = TFTPPacket.writeRequest(TFTPRequest(filename: "ipxe.efi")).encode()
            let refused = try #require(refusal(decide(request, context)))
            #expect(refused.packet == .error(.accessViolation, message: "this server is read-only"))
            #expect(refused.reason == "write_request")
        }
    }

    @Test func packetsOfNoTransferAreAnUnknownTransferID() async throws {
        try await withContext { context in
            for packet in [TFTPPacket.acknowledgement(block: 1), .data(block: 1, payload: [1]), .optionAcknowledgement([])] {
                let refused = try #require(refusal(decide(packet.encode(), context)))
                #expect(refused.packet == .error(.unknownTransferID, message: "unknown transfer ID"))
                #expect(refused.reason == "unknown_tid")
            }
        }
    }

    @Test func aClientsErrorIsIgnored() async throws {
        // Answering an ERROR with an ERROR could loop between two confused peers.
        try await withContext { context in
            guard case .ignore = decide(TFTPPacket.error(.notDefined, message: "bye").encode(), context) else {
                Issue.record("an ERROR was not ignored")
                return
            }
        }
    }

    @Test func missingAndEscapingPathsAreRefusedWithoutAdmission() async throws {
        try await withContext { context in
            let missing = try #require(refusal(decide(read("nope.efi"), context)))
            #expect(missing.reason == "not_found")
            #expect(errorCode(decide(read("nope.efi"), context)) == .fileNotFound)
            let escaping = try #require(refusal(decide(read("../secrets.key"), context)))
            #expect(escaping.reason == "access_violation")
            #expect(errorCode(decide(read("../secrets.key"), context)) == .accessViolation)
            // A refused request never holds a transfer slot.
            #expect(context.activeTransfers == 0)
        }
    }

    @Test func aBadOptionIsAnOptionNegotiationFailure() async throws {
        try await withContext { context in
            let refused = try #require(refusal(decide(read("ipxe.efi", options: [TFTPOption(name: "blksize", value: "4")]), context)))
            #expect(refused.reason == "option_negotiation")
            #expect(errorCode(decide(read("ipxe.efi", options: [TFTPOption(name: "blksize", value: "4")]), context)) == .optionNegotiationFailed)
            #expect(context.activeTransfers == 0)
        }
    }

    @Test func anExistingFileStartsATransferWithTheNegotiatedOptions() async throws {
        try await withContext(["--max-blksize", "512"]) { context in
            let decision = decide(read("ipxe.efi", options: [TFTPOption(name: "blksize", value: "1468"), TFTPOption(name: "tsize", value: "0")]), context)
            guard case .start(let transfer, _, let file, let fileBytes) = decision else {
                Issue.record("no transfer started: \(decision)")
                return
            }
            #expect(file == "ipxe.efi")
            #expect(fileBytes == Self.bootFile.count)
            // The server's limit caps what the client asked for.
            #expect(transfer.settings.blockSize == 512)
            #expect(transfer.optionAcknowledgement.contains(TFTPOption(name: "tsize", value: "\(Self.bootFile.count)")))
            #expect(context.activeTransfers == 1)
        }
    }

    @Test func netasciiSizesTheConvertedText() async throws {
        try await withContext { context in
            guard case .start(_, _, _, let fileBytes) = decide(read("text.cfg", mode: .netascii), context) else {
                Issue.record("no transfer started")
                return
            }
            // "a\nb" goes out as "a\r\nb".
            #expect(fileBytes == 4)
        }
    }

    @Test func admissionLimitsRefuseOnceTheSlotsAreTaken() async throws {
        try await withContext(["--max-transfers", "1"]) { context in
            guard case .start = decide(read("ipxe.efi"), context) else {
                Issue.record("the first transfer was not started")
                return
            }
            let busy = try #require(refusal(decide(read("ipxe.efi"), context, client: "192.0.2.51")))
            #expect(busy.packet == .error(.notDefined, message: "server busy, try again"))
            // Counted by the admission itself, so no second metric reason.
            #expect(busy.reason == "")
            #expect(context.activeTransfers == 1)
        }
        try await withContext(["--max-transfers-per-client", "1"]) { context in
            _ = decide(read("ipxe.efi"), context)
            let busy = try #require(refusal(decide(read("ipxe.efi"), context)))
            #expect(busy.packet == .error(.notDefined, message: "too many transfers from 192.0.2.50, try again"))
            // Another client is still served.
            guard case .start = decide(read("ipxe.efi"), context, client: "192.0.2.51") else {
                Issue.record("another client was refused")
                return
            }
        }
    }
}
