/// Percentiles over recorded durations, in microseconds.
struct LatencyStats {
    private(set) var samples: [Duration] = []

    mutating func record(_ duration: Duration) { samples.append(duration) }
    mutating func merge(_ other: LatencyStats) { samples += other.samples }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
        return microseconds(sorted[index])
    }
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func seconds(_ duration: Duration) -> Double { microseconds(duration) / 1e6 }

func fixed(_ value: Double, _ digits: Int = 1) -> String {
    let scale = (0..<digits).reduce(1.0) { result, _ in result * 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
}
