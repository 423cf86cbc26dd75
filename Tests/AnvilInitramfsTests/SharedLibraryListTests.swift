import Foundation
import Testing
@testable import AnvilInitramfs

@Suite struct SharedLibraryListTests {
    @Test func parsesLddOutput() throws {
        let output = """
            \tlinux-vdso.so.1 (0x00007ffd3b5f2000)
            \tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0e1a200000)
            \tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f0e1a521000)
            \tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007f0e1a501000)
            \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e1a01f000)
            \t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1a62a000)
            \tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f0e1a521000)
            """
        #expect(try SharedLibraryList.parse(lddOutput: output) == [
            "/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libgcc_s.so.1", "/lib/x86_64-linux-gnu/libm.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2",
        ])
    }

    @Test func staticBinaryNeedsNothing() throws {
        #expect(try SharedLibraryList.parse(lddOutput: "\tstatically linked\n").isEmpty)
        #expect(try SharedLibraryList.parse(lddOutput: "\tnot a dynamic executable\n").isEmpty)
    }

    @Test func missingLibraryIsNamed() {
        #expect(throws: SharedLibraryListError.notFound("libfoo.so.1")) {
            try SharedLibraryList.parse(lddOutput: "\tlibfoo.so.1 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n")
        }
    }

    @Test func realLddOnARealBinary() async throws {
        let result = try await HostTool.run("ldd", ["/bin/ls"])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = try SharedLibraryList.parse(lddOutput: result.text)
        #expect(paths.contains { $0.hasSuffix("/libc.so.6") })
        #expect(paths.contains { $0.contains("ld-linux") })
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }
}

@Suite struct XZStreamHeaderTests {
    @Test func readsTheCheckTypeXzWrites() async throws {
        let scratch = try TemporaryTestDirectory()
        let input = try scratch.write("input", Array("initramfs".utf8))
        let crc32 = try await HostTool.run("xz", ["--check=crc32", "--lzma2=preset=6,dict=1MiB", "-T1", "-c"], stdin: input)
        #expect(XZStreamHeader.check(of: crc32.stdout) == .crc32)
        let crc64 = try await HostTool.run("xz", ["-c"], stdin: input)
        #expect(XZStreamHeader.check(of: crc64.stdout) == .crc64)
        #expect(XZStreamHeader.check(of: Array("070701".utf8)) == nil)
    }
}
