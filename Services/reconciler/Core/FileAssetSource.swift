import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `file:///path` assets (air-gapped sites, tests): streamed and hashed exactly like downloads,
/// so a local file gets the same verification and atomic replacement.
struct FileAssetSource: Sendable {
    static let chunkSize = 1 << 20

    func stream(_ url: String, into writer: AssetStreamWriter, report: ProgressReporter) async throws {
        guard let path = URL(string: url)?.path, path.hasPrefix("/") else {
            throw AssetFetchError.unreadableFile(url: url, detail: "not a file:///absolute/path URL")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(url, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure(url, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw AssetFetchError.unreadableFile(url: url, detail: "not a regular file")
        }
        writer.expectedLength = Int64(info.st_size)
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        while true {
            try Task.checkCancellation()
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure(url, errno)
            }
            if count == 0 { break }
            try buffer.withUnsafeBytes { try writer.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            if let due = writer.dueReport() { await report(due) }
        }
    }

    private static func failure(_ url: String, _ code: Int32) -> AssetFetchError {
        .unreadableFile(url: url, detail: code == ENOENT ? "no such file" : String(cString: strerror(code)))
    }
}
