import Foundation
import Testing
@testable import AnvilInitramfs

@Suite struct CPIONewcWriterTests {
    /// The 13 header fields of the entry starting at `offset`, its name, and where the next entry starts.
    private func entry(in archive: [UInt8], at offset: Int) throws -> (fields: [UInt32], name: String, next: Int) {
        #expect(Array(archive[offset..<(offset + 6)]) == Array("070701".utf8))
        let fields = try (0..<13).map { index -> UInt32 in
            let start = offset + 6 + index * 8
            return try #require(UInt32(String(decoding: archive[start..<(start + 8)], as: UTF8.self), radix: 16))
        }
        let nameStart = offset + 110
        let nameSize = Int(fields[11])
        let name = String(decoding: archive[nameStart..<(nameStart + nameSize - 1)], as: UTF8.self)
        #expect(archive[nameStart + nameSize - 1] == 0)
        let dataStart = (nameStart + nameSize + 3) & ~3
        let next = (dataStart + Int(fields[6]) + 3) & ~3
        return (fields, name, next)
    }

    private func entries(of archive: [UInt8]) throws -> [(fields: [UInt32], name: String)] {
        var result: [(fields: [UInt32], name: String)] = []
        var offset = 0
        while offset < archive.count {
            let parsed = try entry(in: archive, at: offset)
            result.append((parsed.fields, parsed.name))
            offset = parsed.next
            if parsed.name == "TRAILER!!!" { break }
        }
        #expect(offset == archive.count)
        return result
    }

    @Test func headerFieldsAndPadding() throws {
        var writer = CPIONewcWriter(modificationTime: 1_700_000_000)
        try writer.addFile("a", bytes: [1, 2, 3, 4, 5])
        let archive = try writer.archive()
        #expect(archive.count % 4 == 0)
        // Header + "a\0" = 112 bytes; 5 data bytes padded to 8; trailer 110 + 11 → 124.
        #expect(archive.count == 112 + 8 + 124)
        let parsed = try entries(of: archive)
        #expect(parsed.map(\.name) == ["a", "TRAILER!!!"])
        let fields = parsed[0].fields
        #expect(fields == [1, 0o100644, 0, 0, 1, 1_700_000_000, 5, 0, 0, 0, 0, 2, 0])
        #expect(parsed[1].fields[0] == 0 && parsed[1].fields[4] == 1 && parsed[1].fields[11] == 11)
        #expect(Array(archive[112..<117]) == [1, 2, 3, 4, 5] && Array(archive[117..<120]) == [0, 0, 0])
    }

    @Test func sortsParentsFirstAndAddsMissingParents() throws {
        var writer = CPIONewcWriter()
        try writer.addFile("lib/x86_64-linux-gnu/libc.so.6", bytes: [0])
        try writer.addFile("init", bytes: [0], permissions: 0o755)
        try writer.addCharacterDevice("dev/console", major: 5, minor: 1)
        try writer.addDirectory("dev")
        try writer.addFile("lib-extra", bytes: [])
        try writer.addDirectory("tmp", permissions: 0o1777)
        let parsed = try entries(of: try writer.archive())
        #expect(parsed.map(\.name) == ["dev", "dev/console", "init", "lib", "lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu/libc.so.6", "lib-extra", "tmp", "TRAILER!!!"])
        #expect(parsed.dropLast().map { $0.fields[0] } == Array(1...8))
        let console = parsed[1].fields
        #expect(console[1] == 0o020600 && console[9] == 5 && console[10] == 1 && console[6] == 0)
        #expect(parsed[0].fields[4] == 2 && parsed[0].fields[1] == 0o040755)
        #expect(parsed[7].fields[1] == 0o041777)
    }

    @Test func symlinkStoresTargetWithoutNUL() throws {
        var writer = CPIONewcWriter()
        try writer.addSymlink("lib64", target: "lib")
        let archive = try writer.archive()
        let parsed = try entry(in: archive, at: 0)
        #expect(parsed.fields[1] == 0o120777 && parsed.fields[6] == 3)
        #expect(Array(archive[116..<119]) == Array("lib".utf8))
    }

    @Test func sameEntriesGiveSameBytesInAnyOrder() throws {
        var first = CPIONewcWriter()
        try first.addFile("b/c", bytes: Array("c".utf8))
        try first.addFile("a", bytes: Array("a".utf8))
        var second = CPIONewcWriter()
        try second.addFile("a", bytes: Array("a".utf8))
        try second.addFile("b/c", bytes: Array("c".utf8))
        #expect(try first.archive() == second.archive())
    }

    @Test func hostFileIsStreamedLikeBytes() throws {
        let scratch = try TemporaryTestDirectory()
        let content = (0..<(3 * 1024 * 1024 + 7)).map { UInt8(truncatingIfNeeded: $0 * 31) }
        let file = try scratch.write("big", content)
        var fromHost = CPIONewcWriter()
        try fromHost.addFile("big", hostPath: file.path, permissions: 0o755)
        var inMemory = CPIONewcWriter()
        try inMemory.addFile("big", bytes: content, permissions: 0o755)
        let expected = try inMemory.archive()
        #expect(try fromHost.archive() == expected)
        let out = scratch.url.appendingPathComponent("out.cpio")
        #expect(FileManager.default.createFile(atPath: out.path, contents: nil))
        let handle = try FileHandle(forWritingTo: out)
        try fromHost.write(to: handle)
        try handle.close()
        #expect(Array(try Data(contentsOf: out)) == expected)
    }

    @Test func missingHostFileNamesIt() throws {
        var writer = CPIONewcWriter()
        try writer.addFile("init", hostPath: "/nonexistent/anvil-agent")
        #expect { try writer.archive() } throws: { error in
            (error as? CPIOError).map { "\($0)".contains("/nonexistent/anvil-agent") } ?? false
        }
    }

    @Test(arguments: ["/init", "../etc", "a/../b", "a//b", "a/", "./a", "", "a/./b"])
    func rejectsInvalidPaths(_ path: String) {
        var writer = CPIONewcWriter()
        #expect(throws: CPIOError.self) { try writer.addFile(path, bytes: []) }
    }

    @Test func rejectsTooLongNames() {
        var writer = CPIONewcWriter()
        let longComponent = String(repeating: "x", count: 256)
        #expect(throws: CPIOError.nameTooLong(longComponent, bytes: 256)) { try writer.addFile(longComponent, bytes: []) }
        let longPath = Array(repeating: String(repeating: "y", count: 200), count: 21).joined(separator: "/")
        #expect(throws: CPIOError.nameTooLong(longPath, bytes: longPath.utf8.count)) { try writer.addDirectory(longPath) }
    }

    @Test func rejectsDuplicatesAndFilesAsParents() throws {
        var writer = CPIONewcWriter()
        try writer.addFile("etc/hosts", bytes: [])
        #expect(throws: CPIOError.duplicatePath("etc/hosts")) { try writer.addFile("etc/hosts", bytes: []) }
        #expect(throws: CPIOError.parentNotDirectory(path: "etc/hosts/x", parent: "etc/hosts")) { try writer.addFile("etc/hosts/x", bytes: []) }
        #expect(throws: CPIOError.duplicatePath("etc")) { try writer.addFile("etc", bytes: []) }
        // An implicit parent may still be declared explicitly, with its own mode.
        try writer.addDirectory("etc", permissions: 0o700)
        #expect(writer.sortedEntries.first == CPIOEntry(path: "etc", kind: .directory, permissions: 0o700))
        #expect(throws: CPIOError.duplicatePath("etc")) { try writer.addDirectory("etc") }
        #expect(throws: CPIOError.self) { try writer.addSymlink("bad", target: "") }
        #expect(throws: CPIOError.self) { try writer.addFile("mode", bytes: [], permissions: 0o17777) }
    }
}
