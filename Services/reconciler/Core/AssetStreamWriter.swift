import Crypto

/// What a download does with each chunk, whatever its source: append it to the temporary file,
/// feed the sha512, count it against the size limit, and say when a progress report is due.
/// Lives inside one fetch (one task).
final class AssetStreamWriter {
    let url: String
    private let file: TemporaryAssetFile
    private let limit: Int64
    private var hasher = SHA512()
    private var progress = DownloadProgress()
    private(set) var received: Int64 = 0
    /// The announced size (Content-Length, or the local file's size), when known.
    var expectedLength: Int64?

    init(url: String, file: TemporaryAssetFile, limit: Int64) {
        self.url = url
        self.file = file
        self.limit = limit
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard received + Int64(bytes.count) <= limit else { throw AssetFetchError.tooLarge(url: url, limit: limit) }
        try file.append(bytes)
        hasher.update(bufferPointer: bytes)
        received += Int64(bytes.count)
    }

    /// A progress report, if one is due now.
    func dueReport() -> DownloadProgress.Report? {
        progress.check(received: received, total: expectedLength)
    }

    /// The sha512 of everything appended, as lower-case hex.
    func digest() -> String {
        SHA512Hex.text(hasher.finalize())
    }
}

/// Called with each progress report of a running download.
typealias ProgressReporter = @Sendable (DownloadProgress.Report) async -> Void
