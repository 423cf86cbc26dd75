import AnvilSpawn
import Foundation
import Testing

/// The suite's one way to start programs (Shared/Spawn/SpawnedProcess.swift), against coreutils.
@Suite struct SpawnedProcessTests {
    @Test func outputErrorAndStatusAreKeptApart() throws {
        let finished = try SpawnedProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(finished.outputText == "out\n")
        #expect(finished.errorText == "err\n")
        #expect(finished.exit == .exited(3))
        #expect(!finished.succeeded)
    }

    @Test func errorCanJoinOutput() throws {
        let finished = try SpawnedProcess.run("/bin/sh", ["-c", "echo a; echo b >&2; echo c"], error: .toOutput)
        #expect(finished.outputText == "a\nb\nc\n")
        #expect(finished.error.isEmpty)
    }

    @Test func aSignalIsReportedAsOne() throws {
        let finished = try SpawnedProcess.run("/bin/sh", ["-c", "kill -KILL $$"])
        #expect(finished.exit == .signalled(SIGKILL))
    }

    /// Larger than any pipe buffer both ways: writing and reading go on together, no deadlock.
    @Test func megabytesInAndOutDoNotDeadlock() throws {
        let input = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let finished = try SpawnedProcess.run("cat", input: input)
        #expect(finished.succeeded)
        #expect(finished.output == input)
    }

    @Test func aMissingProgramIsNamed() {
        #expect(throws: SpawnError.self) { try SpawnedProcess.run("anvil-no-such-tool-\(UInt32.random(in: 0...UInt32.max))") }
        do {
            _ = try SpawnedProcess.run("/nonexistent/tool")
        } catch {
            #expect(error.description.contains("/nonexistent/tool"))
        }
    }

    @Test func directoryAndEnvironmentAreExactlyTheGivenOnes() throws {
        let finished = try SpawnedProcess.run(
            "/bin/sh", ["-c", "pwd; echo \"$ANVIL_SPAWN_TEST\"; env | wc -l"], environment: ["ANVIL_SPAWN_TEST": "yes"], directory: "/tmp")
        let lines = finished.outputText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "/tmp")
        #expect(lines.dropFirst().first == "yes")
        // sh adds PWD, SHLVL and _ of its own; nothing of this process's environment leaks in.
        #expect((Int(lines.last ?? "") ?? 99) <= 4)
    }

    /// Only 0, 1 and 2 reach the child, however many descriptors this process holds (the reason
    /// for posix_spawn with closefrom: nothing lists /proc/self/fd in this process).
    @Test func onlyTheStandardDescriptorsReachTheChild() throws {
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        for _ in 0..<500 { held.append(open("/dev/null", O_RDONLY)) }  // without O_CLOEXEC
        for _ in 0..<50 {
            let finished = try SpawnedProcess.run("/bin/ls", ["/proc/self/fd"])
            let descriptors = finished.outputText.split(separator: "\n").compactMap { Int($0) }.sorted()
            // ls's own directory descriptor is the one above 2.
            #expect(descriptors.filter { $0 > 2 }.count <= 1, "\(descriptors)")
        }
    }

    @Test func manyRunsSideBySide() async throws {
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await SpawnedProcess.runInBackground("/bin/sh", ["-c", "sleep 0.2; echo \(index)"]).outputText
                }
            }
            var all: [String] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(Set(results) == Set((0..<40).map { "\($0)\n" }))
    }

    @Test func waitForExitAndExitIfEndedAgree() throws {
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "exit 7"], environment: [:], output: .discard, error: .discard)
        #expect(process.waitForExit() == .exited(7))
        #expect(process.exitIfEnded == .exited(7))
        #expect(!process.isRunning)
    }

    @Test func inputAndOutputFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-spawn-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in").path
        let output = directory.appendingPathComponent("out").path
        try "first\n".write(toFile: input, atomically: true, encoding: .utf8)
        try "stale and longer\n".write(toFile: output, atomically: true, encoding: .utf8)
        let process = try SpawnedProcess(
            executable: "/bin/cat", arguments: [], environment: [:], input: .file(input), output: .replace(output), error: .discard)
        #expect(process.waitForExit() == .exited(0))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "first\n")
        let again = try SpawnedProcess(
            executable: "/bin/cat", arguments: [], environment: [:], input: .file(input), output: .append(output), error: .discard)
        #expect(again.waitForExit() == .exited(0))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "first\nfirst\n")
    }
}
