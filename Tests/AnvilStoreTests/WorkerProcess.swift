import AnvilSpawn
import Foundation

/// Runs `anvil-store-worker` processes for the multi-process tests.
enum WorkerProcess {
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The worker built alongside this test bundle. Looks next to the test bundle first (same
    /// build), then in every `.build*` directory of the package (default and --scratch-path builds),
    /// newest first.
    static func executableURL() throws -> URL {
        let fileManager = FileManager.default
        let name = "anvil-store-worker"
        var directories: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        // <root>/Tests/AnvilStoreTests/WorkerProcess.swift → <root>
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var found: [(URL, Date)] = []
        let buildDirectories = (try? fileManager.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix(".build") } ?? []
        for buildDirectory in buildDirectories {
            let base = root.appendingPathComponent(buildDirectory)
            var configurations = [base.appendingPathComponent("debug"), base.appendingPathComponent("release")]
            for triple in (try? fileManager.contentsOfDirectory(atPath: base.path)) ?? [] {
                configurations.append(base.appendingPathComponent(triple).appendingPathComponent("debug"))
                configurations.append(base.appendingPathComponent(triple).appendingPathComponent("release"))
            }
            for configuration in configurations {
                let candidate = configuration.appendingPathComponent(name)
                if fileManager.isExecutableFile(atPath: candidate.path),
                    let modified = try? fileManager.attributesOfItem(atPath: candidate.path)[.modificationDate] as? Date
                {
                    found.append((candidate, modified))
                }
            }
        }
        guard let newest = found.max(by: { $0.1 < $1.1 }) else {
            throw WorkerNotFound(searched: directories.map(\.path) + [root.path + "/.build*"])
        }
        return newest.0
    }

    struct WorkerNotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "anvil-store-worker not found; searched \(searched.joined(separator: ", "))" }
    }

    /// Starts one process per argument list, all before waiting for any, and collects results.
    static func runAll(_ argumentLists: [[String]]) async throws -> [Result] {
        let executable = try executableURL()
        // All started at once (each run on a dispatch thread of its own, not the cooperative pool).
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for (index, arguments) in argumentLists.enumerated() {
                group.addTask {
                    let finished = try await SpawnedProcess.runInBackground(executable.path, arguments)
                    return (index, Result(status: finished.status, standardOutput: finished.outputText, standardError: finished.errorText))
                }
            }
            var results: [(Int, Result)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
