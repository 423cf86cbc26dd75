import AnvilSpawn
import Foundation
import Testing

/// Runs dmidecode, the oracle, and reads its text output.
enum Dmidecode {
    /// One "Handle 0x…, DMI type N, L bytes" block: its single-line "Name: value" fields.
    struct Record {
        var handle: UInt16
        var type: UInt8
        var fields: [String: String]
    }

    static let candidatePaths = ["/usr/sbin/dmidecode", "/sbin/dmidecode", "/usr/bin/dmidecode", "/bin/dmidecode"]

    /// dmidecode's path; records a failure naming dmidecode when it is not installed,
    /// so a machine without it fails these tests instead of skipping them.
    static func path() -> String? {
        let pathDirectories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        let candidates = candidatePaths + pathDirectories.map { "\($0)/dmidecode" }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return found
        }
        Issue.record("dmidecode is not installed (looked in \(candidatePaths) and PATH); these tests need it as the oracle")
        return nil
    }

    /// `dmidecode --from-dump FILE`'s output, or nil after recording why not.
    static func output(fromDump file: URL) async throws -> String? {
        guard let executable = path() else { return nil }
        let finished = try await SpawnedProcess.runInBackground(executable, ["--from-dump", file.path], error: .discard)
        #expect(finished.succeeded, "dmidecode --from-dump \(file.path) failed")
        return finished.outputText
    }

    /// The records of dmidecode's output, keyed by handle.
    static func records(_ output: String) -> [UInt16: Record] {
        var records: [UInt16: Record] = [:]
        var current: Record?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Handle 0x") {
                if let current { records[current.handle] = current }
                current = header(String(line))
            } else if line.hasPrefix("\t"), !line.hasPrefix("\t\t"), let colon = line.range(of: ":") {
                let name = String(line[line.index(after: line.startIndex)..<colon.lowerBound])
                var value = String(line[colon.upperBound...])
                if value.hasPrefix(" ") { value.removeFirst() }
                // dmidecode 3.4 keeps trailing spaces in strings; the parser drops them.
                while value.hasSuffix(" ") { value.removeLast() }
                if current?.fields[name] == nil { current?.fields[name] = value }
            }
        }
        if let current { records[current.handle] = current }
        return records
    }

    /// "Handle 0x0100, DMI type 1, 27 bytes" → an empty record.
    private static func header(_ line: String) -> Record? {
        let parts = line.split(separator: ",")
        guard parts.count >= 2,
            let handle = UInt16(parts[0].dropFirst("Handle 0x".count), radix: 16),
            let type = UInt8(parts[1].split(separator: " ").last ?? "")
        else { return nil }
        return Record(handle: handle, type: type, fields: [:])
    }

    /// "512 MB", "16 GB", "512 kB" → KB.
    static func kilobytes(_ size: String) -> UInt64? {
        let parts = size.split(separator: " ")
        guard parts.count == 2, let number = UInt64(parts[0]) else { return nil }
        switch parts[1] {
        case "bytes": return number / 1024
        case "kB": return number
        case "MB": return number << 10
        case "GB": return number << 20
        case "TB": return number << 30
        default: return nil
        }
    }
}
