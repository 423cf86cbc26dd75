import AnvilResources
import AnvilStore
import Foundation
import Testing

/// A daemon on a PostgreSQL store wakes on another host's write through the store's change
/// notifications alone (docs/architecture.md "Change feed and hints"): the test's store sends no
/// bus hint and the reconciler's safety-net poll is an hour, yet it reacts within moments.
@Suite struct StoreNotificationDaemonTests {
    @Test func reconcilerWakesOnAWriteWithoutAnyHint() async throws {
        // A schema of its own, dropped at the end (fails without ANVIL_TEST_POSTGRES_URL).
        let postgres = try SharedPostgres()
        let url = postgres.storeURL
        let sources = try EnvironmentAssetsTests.Sources()
        let state = try TemporaryDirectory()
        // No changeObserver: nothing tells the daemon of these writes but PostgreSQL.
        let store = try await Store.open(
            location: .postgres(url: url), secretsKey: state.url.appendingPathComponent("secrets.key"),
            validate: ResourceValidator.validate)
        let child = try ChildProcess(
            BuiltProducts.url("reconciler"),
            ["--local", "--state", state.path, "--http-port", "0", "--log-level", "debug",
             "--default-environment-url", sources.baseFileURL, "--resync-interval", "1h"],
            environment: ["ANVIL_STORE": url])
        defer { if child.isRunning { child.signal(SIGKILL) } }
        try await child.waitForOutput("msg=\"bus listening\"")
        let kernelURL = sources.fileURL("vmlinuz-amd64")
        // Settled first (the lease held, the default Environment fetched), so the next fetch is news.
        _ = try await Self.waitForEnvironment("default", store: store, child: child) { environment in
            environment.status.conditions?.contains { $0.status == "True" } == true
        }
        // And quiet: a commit of its own would wake it and let it read the feed, hiding a missing notification.
        try await Self.waitForQuiet(store)

        let created = ContinuousClock.now
        _ = try await store.create(EnvironmentAssetsTests.environment("from-another-host", kernel: kernelURL))
        _ = try await Self.waitForEnvironment("from-another-host", store: store, child: child) {
            ReconcilerDaemon.condition($0, url: kernelURL)?.status == "True"
        }
        #expect(ContinuousClock.now - created < .seconds(30), "woken by the notification, not the hour-long poll")
        child.signal(SIGTERM)
        #expect(try await child.wait(timeout: .seconds(20)).status == 0)
        await store.close()
        try await postgres.drop()
    }

    /// Returns once the store's revision has not moved for 2 s (at most 30 s).
    static func waitForQuiet(_ store: Store) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var last = try await store.currentRevision()
        var since = ContinuousClock.now
        while ContinuousClock.now - since < .seconds(2) {
            guard ContinuousClock.now < deadline else { throw TestFailure("the store never went quiet (at \(last))") }
            try await Task.sleep(for: .milliseconds(200))
            let current = try await store.currentRevision()
            if current != last {
                last = current
                since = ContinuousClock.now
            }
        }
    }

    static func waitForEnvironment(
        _ name: String, store: Store, child: ChildProcess, timeout: Duration = .seconds(30),
        _ predicate: (Environment) -> Bool
    ) async throws -> Environment {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let environment = try await store.find(kind: "Environment", name: name).map(Environment.init),
                predicate(environment)
            {
                return environment
            }
            if ContinuousClock.now > deadline {
                throw TestFailure("environment \(name) not ready within \(timeout)\nlog:\n\(child.stdout.suffix(6000))")
            }
            guard child.isRunning else { throw TestFailure("reconciler exited: \(child.stdout.suffix(4000)) \(child.stderr)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
