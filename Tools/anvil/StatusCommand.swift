import AnvilBus
import AnvilDaemon
import AnvilJSON
import ArgumentParser
import Foundation

/// `anvil status`: each daemon's state as it answers on the bus.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each daemon: up/down, pid, uptime, version.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runCLI {
            let directory = ServiceDirectory(runDirectory: global.runDirectory.path)
            var table = TextTable(headers: ["SERVICE", "STATUS", "PID", "UPTIME", "VERSION", "HTTP", "DETAIL"])
            var found: [(name: String, path: String)] = directory.services().map {                 entry in
                (name: entry.instance.map { "\(entry.service)-\($0)" } ?? entry.service, path: entry.path)
            }
            for descriptor in DaemonDescriptor.all where !found.contains(where: { $0.name == descriptor.name || $0.name.hasPrefix(descriptor.name + "-") }) {
                found.append((descriptor.name, ""))
            }
            found.sort { $0.name < $1.name }
            for entry in found {
                guard !entry.path.isEmpty else {
                    table.rows.append([entry.name, "down", "-", "-", "-", "-", "no socket in \(global.runDirectory.path)"])
                    continue
                }
                let client = BusClient(socketPath: entry.path, defaultTimeout: .seconds(2))
                defer { Task { await client.close() } }
                do {
                    let info = try await client.call("service.info")
                    table.rows.append([
                        entry.name, "up", info["pid"]?.intValue.map { "\($0)" } ?? "-",
                        uptime(info["uptimeSeconds"]?.doubleValue ?? 0),
                        info["version"]?.stringValue ?? "-",
                        info["httpPort"]?.intValue.map { "\($0)" } ?? "-",
                        info["status"]?.stringValue ?? "",
                    ])
                } catch {
                    table.rows.append([entry.name, "down", "-", "-", "-", "-", "\(error)"])
                }
            }
            out(table.render())
        }
    }

    private func uptime(_ seconds: Double) -> String {
        GoDuration.format(.seconds(Int64(seconds)))
    }
}
