import AnvilStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A peer that accepts TCP connections and never answers (a server hung mid-restart, a wrong
/// port): opening the store fails in bounded time with an error that says so, instead of hanging
/// the daemon at start (docs/architecture.md "Store", PostgreSQL). Needs no PostgreSQL.
@Suite struct PostgresSilentServerTests {
    @Test(.timeLimit(.minutes(1))) func openingAgainstASilentPeerFailsClearlyInBoundedTime() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-silent-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: keys) }
        // The connect timeout: 30 s (PostgresURL.connectTimeout).
        let started = ContinuousClock.now
        do {
            _ = try await Store.open(
                location: .postgres(url: "postgres://anvil:secret@127.0.0.1:\(listener.port)/anvil"),
                secretsKey: keys.appendingPathComponent("secrets.key"), options: StoreOptions(busyTimeout: 0.2))
            Issue.record("opened a store on a silent peer")
        } catch {
            let took = started.duration(to: .now)
            #expect("\(error)".contains("cannot connect to PostgreSQL at 127.0.0.1:\(listener.port)"), "\(error)")
            #expect("\(error)".contains("Connect timeout (30 s)"), "\(error)")
            #expect(!"\(error)".contains("secret@"), "\(error)")
            #expect(took < .seconds(45), "failed after \(took)")
        }
    }
}

/// A listening socket on 127.0.0.1 that never accepts: the kernel completes the handshake, then
/// nothing is ever read or written.
private struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
