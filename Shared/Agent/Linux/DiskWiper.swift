import Foundation
import Synchronization

/// Wipes disks in parallel, one thread per disk, following each disk's `WipePlan`: BLKZEROOUT
/// where the device supports it, otherwise plain writes of zeros (docs/agent.md "Wipe").
public struct DiskWiper: Sendable {
    public init() {}

    public func wipe(_ targets: [WipeTarget], mode: WipeMode, progress: @escaping @Sendable (Double) -> Void) async throws -> [String] {
        let plans = targets.map { WipePlan(size: $0.size, mode: mode) }
        let total = max(1, plans.reduce(0) { $0 + $1.bytesToZero })
        let done = Mutex<UInt64>(0)
        let advance: @Sendable (UInt64) -> Void = { bytes in
            let sum = done.withLock { value -> UInt64 in
                value += bytes
                return value
            }
            progress(Double(sum) / Double(total))
        }
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, target) in targets.enumerated() {
                let plan = plans[index]
                group.addTask {
                    (index, try await Self.onThread { try Self.wipe(target, plan: plan, advance: advance) })
                }
            }
            var lines = [String](repeating: "", count: targets.count)
            for try await (index, line) in group { lines[index] = line }
            return lines
        }
    }

    /// One disk, blocking: discard (errors ignored), zero each range, flush.
    static func wipe(_ target: WipeTarget, plan: WipePlan, advance: (UInt64) -> Void) throws -> String {
        let started = ContinuousClock.now
        let device = try BlockDevice(path: target.devicePath)
        let discarded = plan.discardWholeDevice && device.rangeIoctl(BlockDevice.discard, ByteRange(offset: 0, length: target.size))
        var method = "BLKZEROOUT"
        let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0)
        for range in plan.zeroRanges {
            if method == "BLKZEROOUT" && !device.rangeIoctl(BlockDevice.zeroOut, range) { method = "writes" }
            if method == "writes" { try device.writeZeros(range, buffer: UnsafeRawBufferPointer(zeros)) }
            advance(range.length)
        }
        try device.flush()
        let seconds = max(0.001, (ContinuousClock.now - started).inSeconds)
        let rate = Double(plan.bytesToZero) / seconds / Double(1 << 20)
        return "\(target.devicePath): \(ByteCount.text(plan.bytesToZero)) zeroed with \(method)\(discarded ? " after BLKDISCARD" : "")"
            + " in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", rate)) MiB/s)"
    }

    /// Runs blocking work on its own thread so the cooperative pool stays free for heartbeats.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }
}
