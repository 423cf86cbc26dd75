import ArgumentParser
import SimulatorCore

/// How long to run and what to print.
struct RunOptions: ParsableArguments {
    @Option(help: "Print a status line (machines per phase) every this many seconds; 0 for none.")
    var reportEvery = 5.0

    @Option(help: "Exit when every healthy server reaches this state: wiped-off, or a milestone or phase (see docs/simulator.md).")
    var until: String?

    @Option(help: "With --until: give up (exit 1) after this many seconds.")
    var timeout: Double?

    @Option(help: "Write the final report as JSON to this file.")
    var reportJSON: String?

    @Flag(help: "Do not print the machines' step lines, only status lines.")
    var quiet = false

    var target: FleetTarget? { until.flatMap(FleetTarget.init) }

    func check() throws {
        if let until, FleetTarget(until) == nil {
            throw ValidationError("--until \"\(until)\" is not a state; use one of: \(FleetTarget.names.joined(separator: ", "))")
        }
        guard reportEvery >= 0, reportEvery.isFinite else { throw ValidationError("--report-every must be 0 or more seconds, got \(reportEvery)") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds, got \(timeout)") }
        if timeout != nil && until == nil { throw ValidationError("--timeout needs --until") }
    }
}
