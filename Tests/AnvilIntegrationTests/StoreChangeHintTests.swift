import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Cross-process wake-ups through bus hints: with its safety-net poll set to an hour, the
/// reconciler still reacts within moments to a write by another process (docs/architecture.md
/// "Change feed and hints").
@Suite struct StoreChangeHintTests {
    @Test func reconcilerWakesOnHintsFromTheCLIAndFromAnotherStoreUser() async throws {
        let sources = try EnvironmentAssetsTests.Sources()
        let reconciler = try await ReconcilerDaemon(
            defaultEnvironmentURL: sources.baseFileURL, extraArguments: ["--resync-interval", "1h"])
        // Settled: the lease is held and the default Environment fetched, so the next fetch is news.
        try await reconciler.waitForEnvironment("default", "ready") { environment in
            environment.status.conditions?.contains { $0.status == "True" } == true
        }
        let kernelURL = sources.fileURL("vmlinuz-amd64")

        // `anvil apply` in its own process: the CLI hints every daemon before it exits.
        let applied = ContinuousClock.now
        _ = try await AnvilCLI(state: reconciler.state).ok(
            "apply", "-f", "-",
            stdin: "apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: from-cli\nspec:\n  kernel:\n    url: \(kernelURL)\n")
        try await reconciler.waitForEnvironment("from-cli", timeout: .seconds(60), "ready") {
            ReconcilerDaemon.condition($0, url: kernelURL)?.status == "True"
        }
        #expect(ContinuousClock.now - applied < .seconds(60), "woken by the hint, not the hour-long poll")

        // The test's own store (a third process's writes, hinted as every daemon hints its own).
        let created = ContinuousClock.now
        _ = try await reconciler.store.seed(EnvironmentAssetsTests.environment("from-store", kernel: kernelURL))
        try await reconciler.waitForEnvironment("from-store", timeout: .seconds(60), "ready") {
            ReconcilerDaemon.condition($0, url: kernelURL)?.status == "True"
        }
        #expect(ContinuousClock.now - created < .seconds(60), "woken by the hint, not the hour-long poll")
        #expect(try await reconciler.stop().status == 0)
    }
}
