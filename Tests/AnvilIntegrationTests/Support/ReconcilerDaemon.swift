import AnvilBus
import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation

/// A reconciler process on a scratch state directory, with the test's own handle on the store.
final class ReconcilerDaemon: Sendable {
    let state: TemporaryDirectory
    let child: ChildProcess
    let store: Store

    var environmentDirectory: String { state.path + "/env" }

    /// Opens the store, lets `prepare` fill it, then starts the reconciler (in local mode, its
    /// default Environment fetched from `defaultEnvironmentURL`) and waits for its bus socket. The
    /// test's writes are hinted to the daemons as the CLI's are, so the reconciler reacts at once
    /// rather than at its safety-net poll.
    init(
        state: TemporaryDirectory? = nil, defaultEnvironmentURL: String, extraArguments: [String] = [],
        prepare: @Sendable (Store) async throws -> Void = { _ in }
    ) async throws {
        let state = try state ?? TemporaryDirectory()
        self.state = state
        let directory = ServiceDirectory(runDirectory: state.path + "/run")
        store = try await Store.open(
            stateDirectory: state.url, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { revision in
                Task { await StoreChangeHints.send(revision: revision, directory: directory, from: "test") }
            }))
        try await prepare(store)
        child = try ChildProcess(
            BuiltProducts.url("reconciler"),
            ["--local", "--state", state.path, "--http-port", "0", "--log-level", "debug",
             "--default-environment-url", defaultEnvironmentURL] + extraArguments)
        try await child.waitForOutput("msg=\"bus listening\"")
    }

    func environment(_ name: String) async throws -> Environment? {
        try await store.find(kind: "Environment", name: name).map(Environment.init)
    }

    /// Polls the store until the Environment satisfies `predicate`.
    @discardableResult
    func waitForEnvironment(
        _ name: String, timeout: Duration = .seconds(30), _ what: String, _ predicate: (Environment) -> Bool
    ) async throws -> Environment {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let environment = try await environment(name), predicate(environment) { return environment }
            if ContinuousClock.now > deadline {
                let current = try await environment(name)
                throw TestFailure(
                    "environment \(name) not \(what) within \(timeout): \(String(describing: current))\nlog:\n\(child.stdout.suffix(6000))\n\(child.stderr.suffix(2000))")
            }
            guard child.isRunning else { throw TestFailure("reconciler exited: \(child.stdout.suffix(4000)) \(child.stderr)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls the store until the Environment has an event matching `predicate`.
    func waitForEvent(
        _ name: String, timeout: Duration = .seconds(30), _ predicate: (AnvilStore.Event) -> Bool
    ) async throws -> AnvilStore.Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            let events = try await store.events(kind: "Environment", name: name)
            if let event = events.first(where: predicate) { return event }
            if ContinuousClock.now > deadline {
                throw TestFailure("no such event for environment \(name) within \(timeout): \(events)\nlog:\n\(child.stdout.suffix(6000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The asset's condition, if there is one for its URL.
    static func condition(_ environment: Environment, url: String) -> AssetCondition? {
        environment.status.conditions?.first { $0.url == url }
    }

    static func isReady(_ environment: Environment, url: String, sha512: String) -> Bool {
        condition(environment, url: url)?.essentials == AssetCondition(url: url, sha512: sha512, type: "Ready", status: "True")
    }

    func logLines(containing fragments: [String]) -> [Substring] {
        child.stdout.split(separator: "\n").filter { line in fragments.allSatisfy { line.contains($0) } }
    }

    func waitForLogLine(containing fragments: [String], timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = logLines(containing: fragments).first { return String(line) }
            if ContinuousClock.now > deadline {
                throw TestFailure("no log line with \(fragments) within \(timeout); log:\n\(child.stdout.suffix(6000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Files in the environment's directory (temporary ones included), sorted.
    func files(of name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: environmentDirectory + "/" + name)) ?? []).sorted()
    }

    func stop() async throws -> ChildProcess.Result {
        child.signal(SIGTERM)
        return try await child.wait(timeout: .seconds(20))
    }

    deinit {
        if child.isRunning { child.signal(SIGKILL) }
    }
}

extension AssetCondition {
    /// What the condition says about the asset, without reason, message and transition time
    /// (which the tests check separately).
    var essentials: AssetCondition {
        AssetCondition(url: url, sha512: sha512, type: type, status: status)
    }
}
