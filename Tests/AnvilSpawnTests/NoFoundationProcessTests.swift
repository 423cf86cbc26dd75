import Foundation
import Testing

/// Foundation's `Process` crashed the test process in CI (a /proc/self/fd over-read at launch,
/// Shared/Spawn/SpawnedProcess.swift), and its blocking `FileHandle` reads trap on EINTR. Nothing
/// in the repository may start a program or read a pipe that way again.
@Suite struct NoFoundationProcessTests {
    /// `Process()`, `Process.run(`, `Pipe()` as whole words (not `SpawnedProcess.run(`), and the
    /// trapping reads.
    static let forbidden = try! NSRegularExpression(
        pattern: #"(?<![A-Za-z0-9_])(Process\(\)|Process\.run\(|Pipe\(\))|readDataToEndOfFile\(\)|\.availableData\b"#)

    @Test func noSourceUsesFoundationProcess() throws {
        // <root>/Tests/AnvilSpawnTests/NoFoundationProcessTests.swift → <root>
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var offenders: [String] = []
        var scanned = 0
        for top in ["Shared", "Services", "Tools", "Tests", "Benchmarks"] {
            let base = root.appendingPathComponent(top)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in files where relative.hasSuffix(".swift") {
                let path = base.appendingPathComponent(relative).path
                guard path != #filePath else { continue }
                scanned += 1
                let text = try String(contentsOfFile: path, encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                    let range = NSRange(code.startIndex..., in: code)
                    if let match = Self.forbidden.firstMatch(in: code, range: range), let found = Range(match.range, in: code) {
                        offenders.append("\(top)/\(relative):\(number + 1): \(code[found])")
                    }
                }
            }
        }
        #expect(scanned > 100, "the sources were not found under \(root.path)")
        #expect(offenders.isEmpty, "use SpawnedProcess (AnvilSpawn) instead: \(offenders.joined(separator: "; "))")
    }
}
