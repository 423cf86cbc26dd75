import AnvilController
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// Brings one Environment's files in `<state>/env/<name>/` in line with its spec: fetches what is
/// missing, changed or corrupt, records a Ready condition per asset, and removes the directory
/// of an Environment that is gone. Run by ``ControllerRunner`` (one name never twice at once);
/// a failed fetch is retried when its backoff is due, or at once when the spec changes.
struct EnvironmentReconciler: Reconciler {
    let name = "environment-assets"
    let store: Store
    /// `<state>/env`.
    let directory: URL
    let fetcher: AssetFetcher
    let defaults: DefaultEnvironment
    let verification: AssetVerificationCache
    let backoff: RetryBackoff
    let events: EnvironmentAssetEvents
    let logger: Logger

    private var statusWriter: EnvironmentStatusWriter { EnvironmentStatusWriter(store: store) }

    func keys(for change: Change) -> [String] {
        change.kind == Environment.resourceKind.kind ? [change.name] : []
    }

    /// Every Environment, every asset directory (one with no Environment is removed), and `default`
    /// (created if missing).
    func allKeys() async throws -> [String] {
        var names = Set(try await store.list(kind: Environment.resourceKind.kind).map(\.name))
        names.insert(Environment.defaultName)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where Self.isSafeDirectoryName(entry) {
            names.insert(entry)
        }
        return names.sorted()
    }

    func reconcile(_ name: String) async throws -> ReconcileResult {
        await reconcileAssets(name)
        guard let due = await backoff.dueTime(for: name) else { return .done }
        return .requeue(after: max(due - .now, .zero))
    }

    func reconcileAssets(_ name: String) async {
        do {
            try await reconcileOrThrow(name)
        } catch is CancellationError {
        } catch is EnvironmentStatusWriter.Superseded {
            logger.debug("environment changed while its assets were fetched", metadata: ["environment": "\(name)"])
        } catch {
            // Store trouble: the next resync tries again.
            logger.warning("cannot reconcile environment", metadata: ["environment": "\(name)", "error": "\(error)"])
        }
    }

    private func reconcileOrThrow(_ name: String) async throws {
        guard Self.isSafeDirectoryName(name) else { return }
        var found = try await store.find(kind: Environment.resourceKind.kind, name: name)
        if found == nil, name == Environment.defaultName {
            let (resource, created) = try await defaults.ensureExists(in: store)
            if created { events.created(try Environment(resource), release: DefaultEnvironment.talosRelease) }
            found = resource
        }
        guard let found else { return try await removeAssets(of: name) }
        let environment = try Environment(found)
        guard environment.metadata.deletionTimestamp == nil else { return }
        let key = EnvironmentAssetsKey(environment)
        if await backoff.isWaiting(name, key: key) { return }

        let folder = directory.appendingPathComponent(name, isDirectory: true).path
        try prepare(folder)
        var failures: [(EnvironmentAssetKind, EnvironmentAssetSpec, AssetFetchError)] = []
        for kind in EnvironmentAssetKind.allCases {
            guard let asset = kind.spec(in: environment.spec) else {
                try? FileManager.default.removeItem(atPath: "\(folder)/\(kind.fileName)")
                continue
            }
            if try await isUpToDate(kind, asset, environment, folder: folder) { continue }
            do {
                try await fetch(kind, asset, environment, folder: folder)
            } catch let error as AssetFetchError {
                failures.append((kind, asset, error))
                // The condition says why, for `anvil describe` and Sidero-style tooling.
                try await statusWriter.record(
                    name: name, uid: environment.metadata.uid, [kind: .notReady(.fetchFailed(String(describing: error)))])
            }
        }
        // Conditions for URLs the spec no longer names go, even when nothing was fetched.
        let existing = environment.status.conditions ?? []
        if AssetConditions.merged(existing, spec: environment.spec, decided: [:]) != existing {
            try await statusWriter.record(name: name, uid: environment.metadata.uid, [:])
        }
        if failures.isEmpty {
            await backoff.succeeded(name)
        } else {
            let delay = await backoff.failed(name, key: key)
            for (kind, asset, error) in failures { events.failed(environment, kind, asset, error, retryIn: delay) }
        }
    }

    /// Ready for this spec, on disk, and its bytes still hash to the recorded sha512.
    private func isUpToDate(_ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, _ environment: Environment, folder: String) async throws -> Bool {
        guard let condition = AssetConditions.ready(in: environment.status.conditions ?? [], for: asset) else { return false }
        let path = "\(folder)/\(kind.fileName)"
        guard let actual = try await verification.digest(ofFileAt: path) else { return false }
        if let recorded = condition.sha512?.lowercased(), recorded != actual {
            events.stale(environment, kind, asset, recorded: recorded, actual: actual)
            return false
        }
        return true
    }

    /// Marks the asset not ready first, so no Ready=True for an older spec can vouch for the new
    /// file once it is renamed into place, and removes the file no condition vouches for any more;
    /// then fetches, and marks it ready if the spec still names what was fetched.
    private func fetch(_ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, _ environment: Environment, folder: String) async throws {
        let name = environment.metadata.name
        let uid = environment.metadata.uid
        try await statusWriter.record(name: name, uid: uid, [kind: .notReady(.fetching)])
        try? FileManager.default.removeItem(atPath: "\(folder)/\(kind.fileName)")
        events.downloading(environment, kind, asset)
        let events = self.events
        let fetched = try await fetcher.fetch(asset, directory: folder, fileName: kind.fileName) { report in
            events.progress(environment, kind, asset, report)
        }
        await verification.remember(path: "\(folder)/\(kind.fileName)", sha512: fetched.sha512)
        try await statusWriter.record(name: name, uid: uid, [kind: .ready(AssetConditions.ready(url: asset.url, sha512: fetched.sha512))])
        events.ready(environment, kind, asset, fetched)
    }

    /// Creates the directory and removes temporary files a crash or kill left behind (only one
    /// reconciler works on a name at a time, so none of them is in use).
    private func prepare(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AssetFetchError.storage(detail: "create \(folder): \(error.localizedDescription)")
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where TemporaryAssetFile.isTemporary(entry) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(entry)")
        }
    }

    private func removeAssets(of name: String) async throws {
        await backoff.succeeded(name)
        let folder = directory.appendingPathComponent(name, isDirectory: true).path
        guard FileManager.default.fileExists(atPath: folder) else { return }
        try FileManager.default.removeItem(atPath: folder)
        await verification.forget(directory: folder)
        logger.info("environment deleted: its assets were removed", metadata: ["environment": "\(name)", "directory": "\(folder)"])
    }

    /// Names come from the store (DNS-1123) or from listing `<state>/env`; either way they must
    /// stay one path component inside it.
    static func isSafeDirectoryName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }
}
