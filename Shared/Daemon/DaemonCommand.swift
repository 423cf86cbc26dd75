import ArgumentParser

/// Every daemon's executable: parses the common options and the daemon's own, then hands over to
/// ``Daemon/run(_:common:options:)``. A daemon's executable is an `@main` whose `main() async` awaits `DaemonCommand<XDaemon>.main()` (from an
/// async function, so the async entry point is the one chosen).
public struct DaemonCommand<Definition: DaemonDefinition>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Definition.descriptor.name, abstract: "Anvil \(Definition.descriptor.name): \(Definition.descriptor.summary).")
    }

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: Definition.Options

    public init() {}

    public func run() async throws {
        try await Daemon.run(Definition.self, common: common, options: options)
    }
}
