import ArgumentParser

/// `anvil`: the operator's command line, kubectl-like, working on the suite's store and bus.
@main
struct AnvilCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil",
        abstract: "Bare-metal provisioning: manage servers, classes, environments and machines; run the suite.",
        subcommands: [
            ApplyCommand.self, GetCommand.self, DescribeCommand.self, DeleteCommand.self,
            AcceptCommand.self, CordonCommand.self, UncordonCommand.self, EventsCommand.self, TimelineCommand.self,
            UpCommand.self, StatusCommand.self, LogsCommand.self, VersionCommand.self, PowerCommand.self, BMCCommand.self,
            ScaleCommand.self, AgentCommand.self,
        ])
}
