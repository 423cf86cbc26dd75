import AnvilResources

/// Fetches one asset into `<directory>/<fileName>`: streamed into a temporary file beside it,
/// hashed on the way, checked against the spec's sha512, flushed and renamed into place.
/// On any failure or cancellation nothing is left behind and the old file is untouched.
struct AssetFetcher: Sendable {
    struct Fetched: Sendable {
        let bytes: Int64
        /// Lower-case hex.
        let sha512: String
        let elapsed: Duration
    }

    let http: HTTPAssetSource
    let files = FileAssetSource()
    /// No asset is larger (a runaway or wrong URL must not fill the disk).
    let sizeLimit: Int64

    func fetch(
        _ asset: EnvironmentAssetSpec, directory: String, fileName: String, report: @escaping ProgressReporter
    ) async throws -> Fetched {
        let started = ContinuousClock.now
        let file = try TemporaryAssetFile(directory: directory, finalName: fileName)
        do {
            let writer = AssetStreamWriter(url: asset.url, file: file, limit: sizeLimit)
            if asset.isFileURL {
                try await files.stream(asset.url, into: writer, report: report)
            } else {
                try await http.stream(asset.url, into: writer, report: report)
            }
            let digest = writer.digest()
            if let expected = asset.sha512, expected != digest {
                throw AssetFetchError.checksumMismatch(url: asset.url, expected: expected, actual: digest)
            }
            try Task.checkCancellation()
            try file.commit()
            return Fetched(bytes: writer.received, sha512: digest, elapsed: ContinuousClock.now - started)
        } catch {
            file.discard()
            throw error
        }
    }
}
