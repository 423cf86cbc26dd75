import AnvilBootFiles
import NIOCore
import Synchronization

/// Packetized boot files (``TFTPPacketizedContent``) by file version, mode and block size, within a
/// byte budget: a boot storm asks for the same few files at the same block size, so each is built
/// once. The least recently used entries leave first; transfers still using one keep it alive.
final class TFTPPacketCache: Sendable {
    struct Key: Hashable, Sendable {
        let path: String
        let identity: BootFileIdentity
        let netascii: Bool
        let blockSize: Int
    }

    private struct Entry: Sendable {
        let content: TFTPPacketizedContent
        var lastUse: UInt64
    }

    private struct State: Sendable {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    let budget: Int
    private let state = Mutex(State())

    init(budget: Int = 256 << 20) {
        self.budget = budget
    }

    /// The cached packets for `key`, or the ones `build` makes (kept when they fit the budget).
    /// Two transfers missing at once may both build; the second result simply replaces the first.
    func packets(for key: Key, build: () -> TFTPPacketizedContent) -> TFTPPacketizedContent {
        let hit: TFTPPacketizedContent? = state.withLock { state in
            state.clock += 1
            guard var entry = state.entries[key] else { return nil }
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.content
        }
        if let hit { return hit }
        let content = build()
        guard content.memoryBytes <= budget else { return content }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.content.memoryBytes }
            while state.bytes + content.memoryBytes > budget,
                  let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries.removeValue(forKey: oldest.key)
                state.bytes -= oldest.value.content.memoryBytes
            }
            state.clock += 1
            state.entries[key] = Entry(content: content, lastUse: state.clock)
            state.bytes += content.memoryBytes
        }
        return content
    }
}
