import Foundation

/// The agent's boot environment (vmlinuz + initramfs.xz), built once per test run by the real
/// `anvil agent build` from Debian's kernel; the kernel download is cached in
/// /var/cache/anvil-testbed/agent-state so later runs (and .ci/run's own build) reuse it.
actor AgentEnvironmentBuild {
    static let shared = AgentEnvironmentBuild()
    static let cacheState = "/var/cache/anvil-testbed/agent-state"

    private var built: Task<String, Error>?

    /// The directory holding vmlinuz and initramfs.xz.
    func directory() async throws -> String {
        if let built { return try await built.value }
        let task = Task { try await Self.build() }
        built = task
        return try await task.value
    }

    private static func build() async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: BuiltProducts.url("anvil-agent").path) else {
            throw TestFailure("anvil-agent is not built in \(BuiltProducts.directory.path): `swift build --build-tests` builds it")
        }
        let output = "/tmp/anvil-agent-env-\(getpid())"
        try? FileManager.default.removeItem(atPath: output)
        let result = try await ChildProcess.run(
            BuiltProducts.url("anvil"),
            ["agent", "build", "--state", cacheState, "--output", output, "--agent-binary", BuiltProducts.url("anvil-agent").path],
            timeout: .seconds(900))
        guard result.status == 0 else {
            throw TestFailure("anvil agent build failed (\(result.status)):\n\(result.stdout.suffix(2000))\n\(result.stderr.suffix(2000))")
        }
        return output
    }

    /// Copies the environment to where bootd serves it in `state`.
    func install(into state: String) async throws {
        let source = try await directory()
        let target = state + "/agent/agent-amd64"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for file in ["vmlinuz", "initramfs.xz"] {
            try? FileManager.default.removeItem(atPath: target + "/" + file)
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: target + "/" + file)
        }
    }
}

/// A raw disk image whose bytes the test can check after the VM has wiped it.
struct DiskImage {
    let path: String
    let size: Int

    /// Random bytes everywhere, so zeroed ranges stand out.
    static func random(at path: String, mebibytes: Int) throws -> DiskImage {
        let size = mebibytes << 20
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw TestFailure("cannot create \(path)") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<mebibytes {
            let chunk = (0..<(1 << 17)).map { _ in generator.next() as UInt64 }
            try handle.write(contentsOf: chunk.withUnsafeBytes { Data($0) })
        }
        return DiskImage(path: path, size: size)
    }

    /// Whether every byte of `range` is zero.
    func isZero(_ range: Range<Int>) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        var remaining = range.count
        while remaining > 0 {
            let data = try handle.read(upToCount: min(remaining, 1 << 20)) ?? Data()
            if data.isEmpty { return false }
            if data.contains(where: { $0 != 0 }) { return false }
            remaining -= data.count
        }
        return true
    }

    /// Whether `range` has no run of 4 KiB zeros (random data is never zero for that long).
    func isUntouched(_ range: Range<Int>) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        var offset = range.lowerBound
        while offset < range.upperBound {
            let data = try handle.read(upToCount: min(range.upperBound - offset, 1 << 20)) ?? Data()
            if data.isEmpty { return false }
            for block in stride(from: 0, to: data.count, by: 4096) where data[data.startIndex + block..<data.startIndex + min(block + 4096, data.count)].allSatisfy({ $0 == 0 }) {
                return false
            }
            offset += data.count
        }
        return true
    }
}
