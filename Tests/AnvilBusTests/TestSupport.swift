import AnvilBus
import AnvilJSON
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh, short directory under /tmp (socket paths must stay under ~107 bytes).
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/anvil-bus-XXXXXX".utf8CString)
    let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard result != nil else { throw POSIXFailure(operation: "mkdtemp", code: errno) }
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

struct POSIXFailure: Error, CustomStringConvertible {
    var operation: String
    var code: Int32
    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

let testLogger: Logger = {
    var logger = Logger(label: "anvil.bus.tests")
    logger.logLevel = .warning
    return logger
}()

/// Records notifications the test router receives.
actor NotificationLog {
    private(set) var entries: [JSONValue] = []
    func append(_ value: JSONValue) { entries.append(value) }
}

struct PlainFailure: Error, CustomStringConvertible {
    var description: String { "the disk is on fire" }
}

/// The router every test server uses.
func makeTestRouter(log: NotificationLog = NotificationLog()) -> BusRouter {
    var router = BusRouter()
    router.register("echo") { params in params ?? .null }
    router.register("add") { params in
        guard case .array(let operands)? = params, operands.count == 2,
            let left = operands[0].intValue, let right = operands[1].intValue
        else { throw BusError.invalidParams("add expects [integer, integer]") }
        return .int(left + right)
    }
    router.register("sleep") { params in
        let milliseconds = params?["ms"]?.intValue ?? 100
        try await Task.sleep(for: .milliseconds(milliseconds))
        return ["slept": .int(milliseconds)]
    }
    router.register("fail") { _ in
        throw BusError(code: -32042, message: "machine is locked", data: ["machine": "m-1", "holder": "reconciler"])
    }
    router.register("repeat") { params in
        .string(String(repeating: "r", count: Int(params?["count"]?.intValue ?? 0)))
    }
    router.register("crash") { _ in throw PlainFailure() }
    router.register("record") { params in
        await log.append(params ?? .null)
        return .null
    }
    router.register("recorded") { _ in .array(await log.entries) }
    return router
}

/// A server running in a background task for the duration of `body`.
struct RunningServer {
    let server: BusServer
    let task: Task<Void, Error>
    var path: String { server.socketPath }

    static func start(
        path: String,
        router: BusRouter = makeTestRouter(),
        maxFrameSize: Int = 1 << 20,
        drainTimeout: Duration = .seconds(10)
    ) async throws -> RunningServer {
        let server = BusServer(socketPath: path, router: router, maxFrameSize: maxFrameSize, drainTimeout: drainTimeout, logger: testLogger)
        let task = Task { try await server.run() }
        try await waitUntilListening(path, task: task)
        // Let the readiness probe's connection be counted and closed, so tests can rely on
        // `connectionsAccepted == 1 + their own connections`.
        for _ in 0..<1000 {
            let statistics = server.statistics
            if statistics.connectionsAccepted == 1, statistics.activeConnections == 0 { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        return RunningServer(server: server, task: task)
    }

    /// Cancels the server and waits until it has closed and unlinked its socket.
    func stop() async throws {
        task.cancel()
        try await task.value
    }
}

/// Polls until something accepts connections at `path`. Generous: on 2 cores, CPU-heavy suites
/// running in parallel can delay the server's start by seconds.
func waitUntilListening(_ path: String, task: Task<Void, Error>? = nil, timeout: Duration = .seconds(60)) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if let socket = try? RawSocket(path: path) {
            socket.close()
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
    task?.cancel()
    Issue.record("nothing listens at \(path) after \(timeout)")
    throw POSIXFailure(operation: "connect", code: ECONNREFUSED)
}

func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = try makeTemporaryDirectory()
    defer { removeDirectory(directory) }
    return try await body(directory)
}

/// Measures how long `body` takes.
func elapsed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await body()
    return (value, clock.now - start)
}

/// Awaits `body` expecting a BusError; returns it (records an issue otherwise).
func expectBusError<T>(_ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async -> BusError? {
    do {
        let value = try await body()
        Issue.record("expected a BusError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as BusError {
        return error
    } catch {
        Issue.record("expected a BusError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
