import Foundation
import Testing
@testable import AnvilInitramfs

/// GNU cpio reads what the writer writes: listing and extraction agree with what was added.
@Suite struct CPIOOracleTests {
    /// Files of every padding residue, including empty.
    static let files: [(path: String, bytes: [UInt8], permissions: UInt32)] = [
        ("etc/empty", [], 0o644),
        ("etc/one", Array("1".utf8), 0o600),
        ("etc/three", Array("abc".utf8), 0o644),
        ("etc/four", Array("abcd".utf8), 0o644),
        ("etc/five", Array("abcde".utf8), 0o640),
        ("bin/tool", (0..<1023).map { UInt8(truncatingIfNeeded: $0) }, 0o755),
    ]

    private func writeArchive(to scratch: TemporaryTestDirectory) throws -> URL {
        var writer = CPIONewcWriter()
        for file in Self.files { try writer.addFile(file.path, bytes: file.bytes, permissions: file.permissions) }
        try writer.addDirectory("proc", permissions: 0o555)
        try writer.addDirectory("tmp", permissions: 0o1777)
        try writer.addSymlink("sbin", target: "bin")
        try writer.addSymlink("etc/link", target: "/etc/three")
        try writer.addCharacterDevice("dev/console", major: 5, minor: 1, permissions: 0o600)
        try writer.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
        return try scratch.write("archive.cpio", try writer.archive())
    }

    @Test func cpioListsExactlyTheEntries() async throws {
        let scratch = try TemporaryTestDirectory()
        let archive = try writeArchive(to: scratch)
        let listing = try await HostTool.run("cpio", ["-itvn", "--quiet"], stdin: archive)
        #expect(listing.status == 0, "\(listing.stderr)")
        // mode, nlink, uid, gid, size or "major, minor", name [-> target]; the date is dropped.
        let rows = listing.text.split(separator: "\n").map { line -> String in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let isDevice = fields[0].hasPrefix("c")
            let sizeEnd = isDevice ? 6 : 5
            let size = fields[4..<sizeEnd].joined(separator: " ")
            return ([fields[0], fields[1], fields[2], fields[3], size] + fields[(sizeEnd + 3)...]).joined(separator: " ")
        }
        #expect(rows == [
            "drwxr-xr-x 2 0 0 0 bin",
            "-rwxr-xr-x 1 0 0 1023 bin/tool",
            "drwxr-xr-x 2 0 0 0 dev",
            "crw------- 1 0 0 5, 1 dev/console",
            "crw-rw-rw- 1 0 0 1, 3 dev/null",
            "drwxr-xr-x 2 0 0 0 etc",
            "-rw-r--r-- 1 0 0 0 etc/empty",
            "-rw-r----- 1 0 0 5 etc/five",
            "-rw-r--r-- 1 0 0 4 etc/four",
            "lrwxrwxrwx 1 0 0 10 etc/link -> /etc/three",
            "-rw------- 1 0 0 1 etc/one",
            "-rw-r--r-- 1 0 0 3 etc/three",
            "dr-xr-xr-x 2 0 0 0 proc",
            "lrwxrwxrwx 1 0 0 3 sbin -> bin",
            "drwxrwxrwt 2 0 0 0 tmp",
        ])
    }

    @Test func cpioExtractsIdenticalContent() async throws {
        let scratch = try TemporaryTestDirectory()
        let archive = try writeArchive(to: scratch)
        let root = scratch.url.appendingPathComponent("root", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let extract = try await HostTool.run("cpio", ["-idmu", "--quiet", "--no-absolute-filenames"], stdin: archive, in: root)
        #expect(extract.status == 0, "\(extract.stderr)")
        for file in Self.files {
            let url = root.appendingPathComponent(file.path)
            #expect(Array(try Data(contentsOf: url)) == file.bytes, "\(file.path)")
            #expect(try mode(of: url) & 0o7777 == file.permissions, "\(file.path)")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("sbin").path) == "bin")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("etc/link").path) == "/etc/three")
        // Device nodes are made only where mknod is allowed (root with CAP_MKNOD); check them then.
        let console = root.appendingPathComponent("dev/console")
        if FileManager.default.fileExists(atPath: console.path) {
            var info = stat()
            #expect(lstat(console.path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFCHR && info.st_mode & 0o7777 == 0o600)
            // glibc encodes small numbers as major << 8 | minor.
            #expect(info.st_rdev == (5 << 8 | 1))
        }
    }

    private func mode(of url: URL) throws -> UInt32 {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw CPIOError.invalidPath(url.path, reason: "missing") }
        return UInt32(info.st_mode)
    }
}
