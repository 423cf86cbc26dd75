import AnvilDaemon
import AnvilJSON
import AnvilStore
import ArgumentParser
import Foundation

/// `anvil timeline SERVER [-o table|json]`: every step Anvil saw for one server, oldest first,
/// with the time since the previous step and since the first (``ServerTimeline``).
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show one server's boot timeline: every step Anvil saw for it, oldest first.",
        discussion: """
            Power commands, TFTP fetches from its addresses, /ipxe decisions, agent registration and wipe, \
            BMC reports, config fetches, installation, allocation and warnings, with durations between them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The Server's name (its SMBIOS UUID).") var server: String
    @Option(name: .shortAndLong, help: "Output: table or json.") var output: Format = .table

    func run() async throws {
        try await runCLI {
            let store = try await global.openStore()
            var found = try await store.serverTimeline(name: server)
            if found == nil, server.lowercased() != server {
                found = try await store.serverTimeline(name: server.lowercased())
            }
            guard let timeline = found else {
                throw CLIError("servers \"\(server)\" not found")
            }
            switch output {
            case .json:
                out(timeline.json.jsonString(pretty: true))
            case .table:
                if timeline.steps.isEmpty {
                    StandardStream.error.write("No events recorded for server \(timeline.server).\n")
                } else {
                    out(TimelineTable.render(timeline))
                }
            }
        }
    }
}

/// TIME, +STEP, ELAPSED, SOURCE, TYPE, STEP, MESSAGE.
enum TimelineTable {
    static func render(_ timeline: ServerTimeline) -> String {
        let milliseconds = timeline.hasSubsecondTimes
        var table = TextTable(headers: ["TIME", "+STEP", "ELAPSED", "SOURCE", "TYPE", "STEP", "MESSAGE"])
        for step in timeline.steps {
            table.rows.append([
                ServerTimeline.time(step.time, milliseconds: milliseconds),
                step.sincePrevious.map { "+" + ServerTimeline.duration($0) } ?? "-",
                ServerTimeline.duration(step.elapsed),
                step.source,
                step.type.rawValue,
                step.reason,
                step.displayMessage(milliseconds: milliseconds),
            ])
        }
        return table.render()
    }
}
