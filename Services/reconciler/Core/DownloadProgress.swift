/// When a running download is worth a progress line: once a second at most, at each further 10%
/// when the size is known, and every 5 seconds regardless (a slow or unsized transfer still shows
/// life). Downloads that finish within the first second never report.
struct DownloadProgress: Sendable {
    struct Report: Sendable {
        let received: Int64
        let total: Int64?
        let elapsed: Duration

        var percent: Int? {
            total.map { $0 > 0 ? Int(min(100, received * 100 / $0)) : 100 }
        }

        /// `45% (12.0 MiB of 26.7 MiB)`, or `12.0 MiB so far` when the size is unknown.
        var summary: String {
            guard let total, let percent else { return "\(ByteCount.text(received)) so far" }
            return "\(percent)% (\(ByteCount.text(received)) of \(ByteCount.text(total)))"
        }
    }

    static let minimumInterval: Duration = .seconds(1)
    static let maximumInterval: Duration = .seconds(5)
    static let step = 10

    private let started: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant
    private var lastPercent = 0

    init(started: ContinuousClock.Instant = .now) {
        self.started = started
        lastReport = started
    }

    /// A report if one is due now, given the bytes so far and the announced size.
    mutating func check(received: Int64, total: Int64?, now: ContinuousClock.Instant = .now) -> Report? {
        let quiet = now - lastReport
        guard quiet >= Self.minimumInterval else { return nil }
        let report = Report(received: received, total: total, elapsed: now - started)
        let stepped = report.percent.map { $0 >= lastPercent + Self.step } ?? false
        guard stepped || quiet >= Self.maximumInterval else { return nil }
        lastReport = now
        if let percent = report.percent { lastPercent = percent }
        return report
    }
}
