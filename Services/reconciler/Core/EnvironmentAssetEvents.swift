import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// What the asset controller tells operators, twice: a log line, and an event on the Environment
/// (shown by `anvil describe env <name>`), since an asset condition has no reason or message
/// field. Events go through the daemon's batched event path, so recording one never waits on
/// or fails the work it describes.
struct EnvironmentAssetEvents: Sendable {
    static let source = "reconciler/environment-assets"

    let events: EventBatchRecorder
    let logger: Logger

    func created(_ environment: Environment, release: String) {
        logger.info("default environment created", metadata: ["environment": "\(environment.metadata.name)"])
        record(
            environment, .normal, "Created",
            "created the default Environment (Talos \(release) kernel and initramfs; edit it to use other assets)")
    }

    func downloading(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec) {
        logger.info("fetching environment asset", metadata: metadata(environment, kind, asset))
        record(environment, .normal, "Downloading", "\(kind.fileName) from \(asset.url)")
    }

    func progress(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, _ report: DownloadProgress.Report) {
        var fields = metadata(environment, kind, asset)
        fields["received"] = "\(report.received)"
        if let total = report.total { fields["total"] = "\(total)" }
        if let percent = report.percent { fields["percent"] = "\(percent)" }
        logger.info("fetching environment asset: \(report.summary)", metadata: fields)
        record(environment, .normal, "Downloading", "\(kind.fileName): \(report.summary)")
    }

    func ready(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, _ fetched: AssetFetcher.Fetched) {
        var fields = metadata(environment, kind, asset)
        fields["bytes"] = "\(fetched.bytes)"
        fields["sha512"] = "\(fetched.sha512)"
        fields["verified"] = "\(asset.sha512 != nil)"
        fields["seconds"] = "\(fetched.elapsed.components.seconds)"
        logger.info("environment asset ready", metadata: fields)
        let check = asset.sha512 != nil ? "sha512 verified" : "sha512 \(fetched.sha512.prefix(16))…, not checked: the spec gives none"
        record(environment, .normal, "AssetReady", "\(kind.fileName) ready: \(ByteCount.text(fetched.bytes)), \(check)")
    }

    /// The message leaves the retry delay out, so repeated failures fold into one event's count.
    func failed(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, _ error: AssetFetchError, retryIn delay: Duration) {
        var fields = metadata(environment, kind, asset)
        fields["reason"] = "\(error.reason)"
        fields["error"] = "\(error)"
        fields["retryIn"] = "\(delay.components.seconds)s"
        logger.warning("environment asset not ready", metadata: fields)
        record(environment, .warning, error.reason, "\(kind.fileName) not ready: \(error)")
    }

    func stale(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec, recorded: String, actual: String) {
        var fields = metadata(environment, kind, asset)
        fields["recorded"] = "\(recorded)"
        fields["actual"] = "\(actual)"
        logger.warning("environment asset on disk does not match its recorded sha512; fetching it again", metadata: fields)
        record(
            environment, .warning, "AssetCorrupt",
            "\(kind.fileName) on disk has sha512 \(actual), not the recorded \(recorded); fetching it again")
    }

    private func metadata(_ environment: Environment, _ kind: EnvironmentAssetKind, _ asset: EnvironmentAssetSpec) -> Logger.Metadata {
        ["environment": "\(environment.metadata.name)", "asset": "\(kind.fileName)", "url": "\(asset.url)"]
    }

    private func record(_ environment: Environment, _ type: EventType, _ reason: String, _ message: String) {
        events.record(.init(
            involved: InvolvedObject(kind: Environment.resourceKind.kind, name: environment.metadata.name, uid: environment.metadata.uid),
            type: type, reason: reason, message: message, source: Self.source))
    }
}
