import AnvilDaemon
import AnvilTFTP
import ArgumentParser
import Foundation

/// tftpd's flags beyond the common ones: the boot file root, and its own (each with an
/// `ANVIL_*` variable), resolved into ``TFTPDSettings``.
public struct TFTPDOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup var bootFiles: BootFileOptions

    @Option(name: .customLong("tftp-port"), help: "TFTP UDP port (ANVIL_TFTP_PORT; default 69, 6969 in local mode).")
    var tftpPort: String?

    @Option(name: .customLong("tftp-address"), help: "Address the TFTP socket binds (ANVIL_TFTP_ADDRESS; default 0.0.0.0, 127.0.0.1 in local mode). Bind only provisioning networks.")
    var tftpAddress: String?

    @Flag(name: .customLong("single-port"), help: "Answer every transfer from the listening port instead of a new port per transfer, for NAT and container bridges (ANVIL_TFTP_SINGLE_PORT).")
    var singlePort: Bool = false

    @Option(name: .customLong("max-transfers"), help: "Concurrent transfers, all clients together; 0 = unlimited (ANVIL_TFTP_MAX_TRANSFERS; default 1024).")
    var maxTransfers: String?

    @Option(name: .customLong("max-transfers-per-client"), help: "Concurrent transfers per client IP; 0 = unlimited (ANVIL_TFTP_MAX_TRANSFERS_PER_CLIENT; default 64).")
    var maxTransfersPerClient: String?

    @Option(name: .customLong("rrq-rate-per-client"), help: "Requests per second per client IP, burst twice that; 0 = unlimited (ANVIL_TFTP_RRQ_RATE_PER_CLIENT; default 50).")
    var rrqRatePerClient: String?

    @Option(name: .customLong("max-blksize"), help: "Largest blksize granted: the path MTU minus 32 (ANVIL_TFTP_MAX_BLKSIZE; default 1468).")
    var maxBlockSize: String?

    @Option(name: .customLong("max-windowsize"), help: "Largest windowsize granted (ANVIL_TFTP_MAX_WINDOWSIZE; default 64).")
    var maxWindowSize: String?

    @Flag(name: .customLong("no-gso"), help: "Send one datagram per block instead of UDP segmentation offload writes for windows (ANVIL_TFTP_NO_GSO).")
    var noGSO: Bool = false

    @Option(name: .customLong("memory-file-limit"), help: "Files up to this many bytes are held in memory, with their DATA packets prepared once per block size; larger ones are read from disk per block; 0 = always from disk (ANVIL_TFTP_MEMORY_FILE_LIMIT; default 67108864).")
    var memoryFileLimit: String?

    @Option(name: .customLong("retries"), help: "Retransmissions without progress before a transfer is dropped (ANVIL_TFTP_RETRIES; default 5).")
    var retries: String?

    @Option(name: .customLong("retransmit-timeout"), help: "First retransmission timeout when the client sets none; it doubles up to 8s (ANVIL_TFTP_RETRANSMIT_TIMEOUT; default 1s).")
    var retransmitTimeout: String?
}

/// tftpd's resolved settings.
public struct TFTPDSettings: DaemonSettings {
    var address: String
    var port: Int
    var singlePort: Bool
    var root: URL
    var ipxeDirectory: URL
    var admission: TFTPAdmission<String>.Limits
    var optionLimits: TFTPServerOptionLimits
    var retransmitPolicy: TFTPRetransmitPolicy
    var segmentationOffload: Bool
    var memoryFileLimit: Int

    /// Limits and rates: 0 means unlimited.
    static let counts = 0...1_000_000

    init(options: TFTPDOptions, config: DaemonConfig, source: SettingSource) throws {
        address = source.string(flag: options.tftpAddress, name: "TFTP_ADDRESS", default: config.local ? "127.0.0.1" : "0.0.0.0")
        port = try source.port(flag: options.tftpPort, name: "TFTP_PORT", default: config.local ? 6969 : 69)
        singlePort = try source.flag(options.singlePort, name: "TFTP_SINGLE_PORT")
        let bootFiles = options.bootFiles.resolve(source, config: config)
        root = bootFiles.root
        ipxeDirectory = bootFiles.ipxeDirectory
        let maxTransfers = try source.integer(flag: options.maxTransfers, name: "TFTP_MAX_TRANSFERS", flagName: "max-transfers", range: Self.counts, default: 1024)
        let perClient = try source.integer(flag: options.maxTransfersPerClient, name: "TFTP_MAX_TRANSFERS_PER_CLIENT", flagName: "max-transfers-per-client", range: Self.counts, default: 64)
        let rate = try source.integer(flag: options.rrqRatePerClient, name: "TFTP_RRQ_RATE_PER_CLIENT", flagName: "rrq-rate-per-client", range: Self.counts, default: 50)
        admission = .init(maximumTransfers: maxTransfers, maximumTransfersPerClient: perClient, requestsPerSecondPerClient: Double(rate))
        let blockSize = try source.integer(flag: options.maxBlockSize, name: "TFTP_MAX_BLKSIZE", flagName: "max-blksize", range: 8...TFTPLimits.maximumBlockSize, default: 1468)
        let windowSize = try source.integer(flag: options.maxWindowSize, name: "TFTP_MAX_WINDOWSIZE", flagName: "max-windowsize", range: 1...65535, default: 64)
        optionLimits = TFTPServerOptionLimits(maximumBlockSize: blockSize, maximumWindowSize: windowSize)
        let retries = try source.integer(flag: options.retries, name: "TFTP_RETRIES", flagName: "retries", range: 0...100, default: 5)
        let timeout = try source.duration(
            flag: options.retransmitTimeout, name: "TFTP_RETRANSMIT_TIMEOUT", flagName: "retransmit-timeout", minimum: .milliseconds(10),
            default: .seconds(1))
        memoryFileLimit = try source.integer(flag: options.memoryFileLimit, name: "TFTP_MEMORY_FILE_LIMIT", flagName: "memory-file-limit", range: 0...(1 << 30), default: 64 << 20)
        segmentationOffload = !(try source.flag(options.noGSO, name: "TFTP_NO_GSO"))
        retransmitPolicy = TFTPRetransmitPolicy(initialTimeout: timeout, maximumTimeout: max(timeout, .seconds(8)), maximumRetries: retries)
    }

    public var summary: [String: String] {
        [
            "tftpAddress": address, "tftpPort": "\(port)", "singlePort": "\(singlePort)", "tftpRoot": root.path,
            "ipxeDirectory": ipxeDirectory.path, "maxTransfers": "\(admission.maximumTransfers)",
            "maxTransfersPerClient": "\(admission.maximumTransfersPerClient)",
            "rrqRatePerClient": "\(admission.requestsPerSecondPerClient)", "maxBlksize": "\(optionLimits.maximumBlockSize)",
            "maxWindowsize": "\(optionLimits.maximumWindowSize)", "gso": "\(segmentationOffload)",
            "memoryFileLimit": "\(memoryFileLimit)", "retries": "\(retransmitPolicy.maximumRetries)",
            "retransmitTimeout": "\(retransmitPolicy.initialTimeout)",
        ]
    }
}
