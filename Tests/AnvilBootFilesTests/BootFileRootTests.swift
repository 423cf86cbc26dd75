import AnvilBootFiles
import Foundation
import Testing

@Suite struct BootFileRootTests {
    final class Scratch {
        let path = "/tmp/anvil-bootfiles-\(UUID().uuidString.prefix(8))"
        init() throws { try FileManager.default.createDirectory(atPath: path + "/root", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var root: String { path + "/root" }
        func write(_ name: String, _ bytes: [UInt8]) throws {
            let url = URL(fileURLWithPath: root + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    @Test func opensFilesAndKeepsSmallOnesInMemory() throws {
        let scratch = try Scratch()
        try scratch.write("small.bin", [1, 2, 3])
        try scratch.write("dir/large.bin", Array(repeating: 7, count: 5000))
        let root = try BootFileRoot(directory: scratch.root, memoryFileLimit: 1000)
        let small = try root.open("small.bin")
        guard case .memory(let bytes) = small.content else { Issue.record("small file not in memory"); return }
        #expect(bytes == [1, 2, 3])
        let large = try root.open("dir/large.bin")
        guard case .descriptor = large.content else { Issue.record("large file should be read from disk"); return }
        #expect(large.size == 5000)
        #expect(try large.bytes(at: 4990, length: 10) == Array(repeating: 7, count: 10))
        #expect(root.list().map(\.path) == ["dir/large.bin", "small.bin"])
    }

    @Test func aChangedFileIsReadAgain() throws {
        let scratch = try Scratch()
        try scratch.write("a.bin", [1])
        let root = try BootFileRoot(directory: scratch.root)
        #expect(try root.open("a.bin").allBytes() == [1])
        try scratch.write("a.bin", [2, 2])
        #expect(try root.open("a.bin").allBytes() == [2, 2])
    }

    @Test func symlinksMayNotLeaveTheRoot() throws {
        let scratch = try Scratch()
        try scratch.write("inside.bin", [9])
        try Data([6]).write(to: URL(fileURLWithPath: scratch.path + "/outside.bin"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: scratch.root + "/alias.bin", withDestinationPath: "inside.bin")
        try fm.createSymbolicLink(atPath: scratch.root + "/escape.bin", withDestinationPath: "../outside.bin")
        try fm.createSymbolicLink(atPath: scratch.root + "/etc", withDestinationPath: "/etc")
        let root = try BootFileRoot(directory: scratch.root)
        #expect(try root.open("alias.bin").allBytes() == [9])
        #expect(throws: BootFilePathError.escapesRoot) { try root.open("escape.bin") }
        #expect(throws: BootFilePathError.escapesRoot) { try root.open("etc/passwd") }
        #expect(throws: BootFilePathError.notFound) { try root.open("missing.bin") }
        #expect(!root.list().map(\.path).contains("escape.bin"))
        #expect(root.list().map(\.path).contains("alias.bin"))
    }

    @Test func aDirectoryIsNotServed() throws {
        let scratch = try Scratch()
        try scratch.write("sub/x.bin", [1])
        let root = try BootFileRoot(directory: scratch.root)
        #expect(throws: BootFilePathError.notRegularFile) { try root.open("sub") }
    }

    @Test func preparationCopiesMissingBinariesAndKeepsTheOperatorsOwn() throws {
        let scratch = try Scratch()
        let ipxe = scratch.path + "/ipxe"
        try FileManager.default.createDirectory(atPath: ipxe, withIntermediateDirectories: true)
        for name in ["undionly.kpxe", "ipxe.efi", "snponly.efi"] {
            try Data(Array(name.utf8)).write(to: URL(fileURLWithPath: ipxe + "/" + name))
        }
        try scratch.write("ipxe.efi", Array("custom build".utf8))
        let report = try BootFileRootPreparation.prepare(root: scratch.root, ipxeDirectory: ipxe)
        #expect(report.installed == ["undionly.kpxe", "undionly.kpxe.0", "snp.efi", "snponly.efi"])
        #expect(report.kept == ["ipxe.efi"])
        #expect(report.unavailable == ["ipxe-arm64.efi", "snp-arm64.efi"])
        let root = try BootFileRoot(directory: scratch.root)
        #expect(try root.open("snp.efi").allBytes() == Array("snponly.efi".utf8), "snponly.efi is also offered as snp.efi")
        #expect(try root.open("ipxe.efi").allBytes() == Array("custom build".utf8))
        #expect(!root.list().contains { $0.path.contains("anvil-tmp") })
        let again = try BootFileRootPreparation.prepare(root: scratch.root, ipxeDirectory: ipxe)
        #expect(again.installed.isEmpty)
    }

    @Test func aMissingRootIsAClearError() {
        #expect(throws: BootFileRootError.self) { try BootFileRoot(directory: "/nonexistent/anvil-root") }
    }
}
