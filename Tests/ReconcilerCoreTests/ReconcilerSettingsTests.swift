import AnvilDaemon
import Testing
@testable import ReconcilerCore

/// The reconciler's own settings: defaults, and refusals that name the flag or variable to fix.
@Suite struct ReconcilerSettingsTests {
    func settings(_ arguments: [String] = [], env: [String: String] = [:]) throws -> ReconcilerSettings {
        try ReconcilerSettings(
            options: try ReconcilerOptions.parse(arguments), source: SettingSource(environment: env, currentDirectory: "/srv"))
    }

    /// The refusal's message, or nil when the settings were accepted.
    func refusal(_ arguments: [String] = [], env: [String: String] = [:]) -> String? {
        do {
            _ = try settings(arguments, env: env)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func defaults() throws {
        let settings = try settings()
        #expect(settings.changeFeedRetention == 100_000)
        #expect(settings.assets.defaultEnvironmentURL == DefaultEnvironment.releaseURL)
        #expect(settings.assets.pollInterval == .seconds(10))
        #expect(settings.summary["resyncInterval"] == "\(Duration.seconds(10))")
        #expect(settings.serverLifecycle.powerRetryDelay == .seconds(30))
    }

    @Test func powerRetryDelayFromTheFlagOrVariable() throws {
        #expect(try settings(["--power-retry-delay", "2s"]).serverLifecycle.powerRetryDelay == .seconds(2))
        #expect(try settings(env: ["ANVIL_POWER_RETRY_DELAY": "1m"]).serverLifecycle.powerRetryDelay == .seconds(60))
        #expect(refusal(["--power-retry-delay", "soon"])?.hasPrefix("--power-retry-delay:") == true)
    }

    @Test func defaultEnvironmentURLAcceptsHTTPHTTPSAndFileURLs() throws {
        for url in ["http://mirror/talos", "HTTPS://mirror/talos", "file:///srv/talos"] {
            #expect(try settings(["--default-environment-url", url]).assets.defaultEnvironmentURL == url)
        }
        let fromEnvironment = try settings(env: ["ANVIL_DEFAULT_ENVIRONMENT_URL": "https://mirror.example/talos"])
        #expect(fromEnvironment.assets.defaultEnvironmentURL == "https://mirror.example/talos")
    }

    @Test func anFTPDefaultEnvironmentURLIsRefusedNamingTheFlag() throws {
        let message = try #require(refusal(["--default-environment-url", "ftp://x"]))
        #expect(message.hasPrefix("--default-environment-url:"), "\(message)")
        #expect(message.contains("ftp://x"))
        #expect(message.contains("http://, https:// or file:///"))
    }

    @Test func aBadDefaultEnvironmentURLFromTheEnvironmentNamesTheVariable() throws {
        let message = try #require(refusal(env: ["ANVIL_DEFAULT_ENVIRONMENT_URL": "ftp://x"]))
        #expect(message.hasPrefix("ANVIL_DEFAULT_ENVIRONMENT_URL:"), "\(message)")
        // file:// with a host is not a local path.
        #expect(refusal(["--default-environment-url", "file://host/talos"]) != nil)
    }

    @Test func changeFeedRetentionMustKeepAtLeastOneEntry() throws {
        let message = try #require(refusal(["--change-feed-retention", "0"]))
        #expect(message.hasPrefix("--change-feed-retention:"), "\(message)")
        #expect(try settings(["--change-feed-retention", "500"]).changeFeedRetention == 500)
        #expect(try settings(env: ["ANVIL_CHANGE_FEED_RETENTION": "7"]).changeFeedRetention == 7)
        #expect(refusal(["--change-feed-retention", "many"]) != nil)
    }

    @Test func resyncIntervalTakesGoDurations() throws {
        #expect(try settings(["--resync-interval", "1m30s"]).assets.pollInterval == .seconds(90))
        #expect(try settings(["--resync-interval", "250ms"]).assets.pollInterval == .milliseconds(250))
        #expect(try settings(env: ["ANVIL_RESYNC_INTERVAL": "2s"]).assets.pollInterval == .seconds(2))
    }

    @Test func resyncIntervalRefusesNonsenseAndHotLoops() throws {
        let garbage = try #require(refusal(["--resync-interval", "soon"]))
        #expect(garbage.hasPrefix("--resync-interval:"), "\(garbage)")
        // Below 10ms the poll would spin.
        let tooShort = try #require(refusal(["--resync-interval", "0"]))
        #expect(tooShort.hasPrefix("--resync-interval:"), "\(tooShort)")
        #expect(tooShort.contains("at least 10ms"))
        let fromEnvironment = try #require(refusal(env: ["ANVIL_RESYNC_INTERVAL": "1ms"]))
        #expect(fromEnvironment.hasPrefix("ANVIL_RESYNC_INTERVAL:"), "\(fromEnvironment)")
    }
}
