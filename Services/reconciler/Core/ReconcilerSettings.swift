import AnvilDaemon
import AnvilResources
import ArgumentParser

/// The reconciler's own flags (each also an `ANVIL_*` variable).
public struct ReconcilerOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup var rebootTimeout: RebootTimeoutOptions

    @Option(name: .customLong("power-check-period"), help: "How often an allocated server's power is checked again, since BMCs sometimes lie (ANVIL_POWER_CHECK_PERIOD; default 5m).")
    var powerCheckPeriod: String?

    @Option(name: .customLong("power-retry-delay"), help: "A failed power command is retried after this, doubling per failure in a row up to 5m, so a restarting BMC does not use up the lifecycle attempts in seconds (ANVIL_POWER_RETRY_DELAY; default 30s).")
    var powerRetryDelay: String?

    @Option(name: .customLong("lifecycle-attempts"), help: "A server whose same lifecycle step (a wipe, a power command) fails this many times in a row is no longer cycled until `anvil accept` retries it (ANVIL_LIFECYCLE_ATTEMPTS; default 3).")
    var lifecycleAttempts: String?

    @Option(name: .customLong("lease-duration"), help: "How long the active reconciler's lease lasts unrenewed; a standby takes over within it when the active one dies (ANVIL_LEASE_DURATION; default 15s; renewed every third of it).")
    var leaseDuration: String?

    @Option(name: .customLong("controller-workers"), help: "Objects each controller reconciles at once; a reconcile mostly waits on bmcd or the store, so many are cheap (ANVIL_CONTROLLER_WORKERS; default 64).")
    var controllerWorkers: String?

    @Option(name: .customLong("change-feed-retention"), help: "Change-feed entries kept; older ones are compacted away hourly (ANVIL_CHANGE_FEED_RETENTION; default 100000).")
    var changeFeedRetention: String?

    @Option(
        name: .customLong("default-environment-url"),
        help: "Where the default Environment's vmlinuz-amd64 and initramfs-amd64.xz come from when it is created (a mirror for air-gapped sites; ANVIL_DEFAULT_ENVIRONMENT_URL; default Talos' release on GitHub).")
    var defaultEnvironmentURL: String?

    @Option(name: .customLong("resync-interval"), help: "Poll of the change feed when no bus hint arrives, the safety net for a lost hint (ANVIL_RESYNC_INTERVAL; default 10s).")
    var resyncInterval: String?
}

/// The reconciler's resolved settings.
public struct ReconcilerSettings: DaemonSettings {
    var changeFeedRetention: Int
    var assets: EnvironmentAssets.Settings
    var serverLifecycle: ServerLifecycle.Settings
    var controllerWorkers: Int
    var leaseDuration: Duration

    init(options: ReconcilerOptions, source: SettingSource) throws {
        changeFeedRetention = try source.integer(
            flag: options.changeFeedRetention, name: "CHANGE_FEED_RETENTION", range: 1...Int(Int32.max), default: 100_000)
        assets = EnvironmentAssets.Settings()
        let url = source.string(flag: options.defaultEnvironmentURL, name: "DEFAULT_ENVIRONMENT_URL", default: DefaultEnvironment.releaseURL)
        // The rule the default Environment's asset URLs will be validated by when it is created.
        guard EnvironmentRules.isAssetURL(url) else {
            throw SettingError(
                origin: options.defaultEnvironmentURL != nil ? "--default-environment-url" : "ANVIL_DEFAULT_ENVIRONMENT_URL",
                value: url, expected: "an http://, https:// or file:/// URL")
        }
        assets.defaultEnvironmentURL = url
        assets.pollInterval = try source.duration(
            flag: options.resyncInterval, name: "RESYNC_INTERVAL", minimum: .milliseconds(10), default: .seconds(10))
        serverLifecycle = ServerLifecycle.Settings(
            rebootTimeout: try options.rebootTimeout.resolve(source),
            powerCheckPeriod: try source.duration(
                flag: options.powerCheckPeriod, name: "POWER_CHECK_PERIOD", minimum: .seconds(1), default: .seconds(300)),
            attempts: try source.integer(flag: options.lifecycleAttempts, name: "LIFECYCLE_ATTEMPTS", range: 1...100, default: 3),
            powerRetryDelay: try source.duration(
                flag: options.powerRetryDelay, name: "POWER_RETRY_DELAY", minimum: .milliseconds(100), default: .seconds(30)))
        leaseDuration = try source.duration(flag: options.leaseDuration, name: "LEASE_DURATION", minimum: .milliseconds(300), default: .seconds(15))
        controllerWorkers = try source.integer(flag: options.controllerWorkers, name: "CONTROLLER_WORKERS", range: 1...1024, default: 64)
    }

    public var summary: [String: String] {
        [
            "changeFeedRetention": "\(changeFeedRetention)", "defaultEnvironmentURL": assets.defaultEnvironmentURL,
            "resyncInterval": "\(assets.pollInterval)", "serverRebootTimeout": GoDuration.format(serverLifecycle.rebootTimeout),
            "powerCheckPeriod": GoDuration.format(serverLifecycle.powerCheckPeriod), "lifecycleAttempts": "\(serverLifecycle.attempts)",
            "powerRetryDelay": GoDuration.format(serverLifecycle.powerRetryDelay),
            "controllerWorkers": "\(controllerWorkers)", "leaseDuration": GoDuration.format(leaseDuration),
        ]
    }
}
