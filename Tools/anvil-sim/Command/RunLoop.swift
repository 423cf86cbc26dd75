import Foundation
import SimulatorCore

/// Runs the fleet until the target is reached, the timeout passes or SIGINT/SIGTERM arrives,
/// printing status lines. Returns nil without a target.
struct RunLoop {
    let fleet: Fleet
    let options: RunOptions

    func run() async -> Bool? {
        let interrupted = Signals.interruption()
        let every = options.reportEvery > 0 ? options.reportEvery : 1
        let started = ContinuousClock.now
        var lastReport = started
        while !interrupted.isSet {
            if let target = options.target, fleet.reached(target) {
                Console.line("every healthy server reached \(options.until ?? "")")
                return true
            }
            if let timeout = options.timeout, ContinuousClock.now - started >= .milliseconds(Int64(timeout * 1000)) {
                Console.line("timed out after \(timeout) s waiting for \(options.until ?? "")")
                return false
            }
            try? await Task.sleep(for: .milliseconds(200))
            if options.reportEvery > 0, ContinuousClock.now - lastReport >= .milliseconds(Int64(every * 1000)) {
                lastReport = ContinuousClock.now
                Console.line(fleet.report().statusLine)
            }
        }
        Console.line("interrupted")
        return options.target == nil ? nil : false
    }
}
