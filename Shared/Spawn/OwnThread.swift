#if canImport(Glibc)
import Glibc
#endif

/// Blocking work (a child's pipes, a blocking socket, a sleep-paced client) on a thread of its
/// own. The cooperative pool has one thread per core — two on the CI machine — so a blocking call
/// made on it stalls every other task of the process, timers included (docs/architecture.md, Tests).
public enum OwnThread {
    /// Runs `body` on a new detached thread and returns what it returned.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            detach { continuation.resume(returning: body()) }
        }
    }

    /// `run` for a body that throws.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            detach { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` on a new detached thread (not Dispatch's pool, whose width is the core count).
    public static func detach(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { raw in
            Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
        if code == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: run it here rather than never.
            Unmanaged<ThreadBody>.fromOpaque(box).takeRetainedValue().body()
        }
    }
}

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
