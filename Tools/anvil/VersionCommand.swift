import AnvilDaemon
import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Anvil's version.")

    func run() {
        out("anvil \(AnvilVersion.current)")
    }
}
