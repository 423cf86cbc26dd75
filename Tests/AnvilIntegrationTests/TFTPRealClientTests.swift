import Foundation
import Testing

/// tftpd against real TFTP clients (installed by .ci/run): every client downloads files of 0, 511
/// and 512 bytes, 1 MiB, and one past the 65535-block rollover at blksize 512, byte for byte.
@Suite struct TFTPRealClientTests {
    /// 65535 blocks of 512 bytes is 33 553 920 bytes; this file needs block numbers to wrap to 0.
    static let rolloverSize = 65_535 * 512 + 700_000
    static let files: [String: [UInt8]] = [
        "empty": [],
        "f511": TFTPDaemon.content(size: 511, seed: 1),
        "f512": TFTPDaemon.content(size: 512, seed: 2),
        "file-1m": TFTPDaemon.content(size: 1 << 20, seed: 3),
        "big/rollover.bin": TFTPDaemon.content(size: rolloverSize, seed: 4),
    ]
    static let names = ["empty", "f511", "f512", "file-1m", "big/rollover.bin"]

    enum Client: String, CaseIterable, Sendable {
        case curl, tftpHPA = "tftp-hpa", atftp
    }

    /// One client at a time, and tftpd patient with a client the loaded CI machine leaves
    /// unscheduled for a while (20 retransmissions, about 2.5 min without progress, not 23 s).
    static let patient = ["--retries", "20"]

    @Test(.serialized, arguments: Client.allCases, [false, true])
    func clientDownloadsEveryFileByteForByte(_ client: Client, singlePort: Bool) async throws {
        let daemon = try await TFTPDaemon(files: Self.files, extraArguments: Self.patient + (singlePort ? ["--single-port"] : []))
        let output = try TemporaryDirectory()
        for name in Self.names {
            let target = output.path + "/" + name.replacingOccurrences(of: "/", with: "_")
            let result = try await Self.download(name, with: client, port: daemon.port, to: target)
            #expect(result.status == 0, "\(client.rawValue) \(name): \(result.stdout) \(result.stderr)")
            // curl writes no file at all for an empty download.
            let received = (try? Data(contentsOf: URL(fileURLWithPath: target))) ?? Data()
            #expect(received.count == Self.files[name]!.count, "\(client.rawValue) \(name): size")
            #expect(received == Data(Self.files[name]!), "\(client.rawValue) \(name): content")
            _ = try await daemon.waitForLogLine(containing: ["msg=\"transfer finished\"", "file=\(name) ", "outcome=completed"])
        }
        let log = daemon.child.stdout
        if client == .atftp {
            #expect(log.contains("windowsize=8"), "atftp negotiated windowsize 8")
        }
        if client == .curl {
            #expect(log.contains("blksize=1468"), "curl negotiated blksize 1468")
        }
        #expect(!log.contains("outcome=failed"))
        _ = try await daemon.stop()
    }

    /// With `--memory-file-limit 0` every file is read from disk block by block instead of from
    /// packets prepared in memory: windows (atftp, windowsize 8), tsize and blksize 1468 (curl)
    /// and the block rollover still deliver every byte.
    @Test func filesReadFromDiskAreServedByteForByte() async throws {
        let daemon = try await TFTPDaemon(files: Self.files, extraArguments: Self.patient + ["--memory-file-limit", "0"])
        let output = try TemporaryDirectory()
        for (client, names) in [(Client.atftp, ["f511", "f512", "file-1m"]), (.curl, ["file-1m", "big/rollover.bin"])] {
            for name in names {
                let target = output.path + "/" + client.rawValue + "-" + name.replacingOccurrences(of: "/", with: "_")
                let result = try await Self.download(name, with: client, port: daemon.port, to: target)
                #expect(result.status == 0, "\(client.rawValue) \(name): \(result.stdout) \(result.stderr)")
                let received = (try? Data(contentsOf: URL(fileURLWithPath: target))) ?? Data()
                #expect(received == Data(Self.files[name]!), "\(client.rawValue) \(name): content from disk")
            }
        }
        #expect(!daemon.child.stdout.contains("outcome=failed"))
        _ = try await daemon.stop()
    }

    /// `--no-gso`: a window goes out as one datagram per block instead of one UDP GSO send; atftp
    /// (windowsize 8) still gets every byte, across the block rollover too.
    @Test func windowsWithoutSegmentationOffload() async throws {
        let daemon = try await TFTPDaemon(files: Self.files, extraArguments: ["--no-gso"])
        let output = try TemporaryDirectory()
        for name in ["file-1m", "big/rollover.bin"] {
            let target = output.path + "/" + name.replacingOccurrences(of: "/", with: "_")
            let result = try await Self.download(name, with: .atftp, port: daemon.port, to: target)
            #expect(result.status == 0, "\(name): \(result.stdout) \(result.stderr)")
            #expect((try? Data(contentsOf: URL(fileURLWithPath: target))) == Data(Self.files[name]!), "\(name): content")
        }
        #expect(daemon.child.stdout.contains("gso=false"))
        #expect(daemon.child.stdout.contains("windowsize=8"))
        _ = try await daemon.stop()
    }

    /// netascii (RFC 1350 mode): the server sends LF as CR LF and a lone CR as CR NUL; tftp-hpa's
    /// client turns them back, so the text arrives as it is on disk — from memory and from disk.
    @Test(arguments: [false, true])
    func netasciiTextArrivesAsItIsOnDisk(fromDisk: Bool) async throws {
        var text = Array("#!ipxe\nchain http://10.0.0.1/boot.ipxe\r\nbare\rcarriage\n".utf8)
        while text.count < 3000 { text += Array("line \(text.count) of a script\n".utf8) }
        let daemon = try await TFTPDaemon(files: ["script.ipxe": text], extraArguments: fromDisk ? ["--memory-file-limit", "0"] : [])
        let output = try TemporaryDirectory()
        let target = output.path + "/script.ipxe"
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: try Peer.path("tftp")), ["127.0.0.1", "\(daemon.port)", "-m", "netascii", "-c", "get", "script.ipxe", target],
            timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: target))) == Data(text))
        let line = try await daemon.waitForLogLine(containing: ["msg=\"transfer finished\"", "file=script.ipxe "])
        let lineFeeds = text.count { $0 == 0x0A }
        let carriageReturns = text.count { $0 == 0x0D }
        #expect(line.contains("size=\(text.count + lineFeeds + carriageReturns)"), "the converted size: \(line)")
        _ = try await daemon.stop()
    }

    /// Runs one client; rollover.bin always goes at blksize 512 so its block numbers wrap.
    static func download(_ name: String, with client: Client, port: Int, to target: String) async throws -> ChildProcess.Result {
        let rollover = name == "big/rollover.bin"
        switch client {
        case .curl:
            // curl sends tsize by default; blksize 1468 as firmware on Ethernet does.
            return try await ChildProcess.run(
                URL(fileURLWithPath: try Peer.path("curl")),
                ["-sS", "--tftp-blksize", rollover ? "512" : "1468", "-o", target, "tftp://127.0.0.1:\(port)/\(name)"],
                timeout: .seconds(240))
        case .tftpHPA:
            // Plain RFC 1350: no options, 512-byte blocks, lockstep.
            return try await ChildProcess.run(
                URL(fileURLWithPath: try Peer.path("tftp")),
                ["127.0.0.1", "\(port)", "-m", "binary", "-c", "get", name, target], timeout: .seconds(240))
        case .atftp:
            return try await ChildProcess.run(
                URL(fileURLWithPath: try Peer.path("atftp")),
                ["--option", "blksize \(rollover ? 512 : 1468)", "--option", "windowsize 8", "--option", "tsize",
                 "-g", "-r", name, "-l", target, "127.0.0.1", "\(port)"],
                timeout: .seconds(240))
        }
    }
}
