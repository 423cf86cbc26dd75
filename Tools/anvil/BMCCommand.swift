import AnvilJSON
import ArgumentParser
import Foundation

/// `anvil bmc info|setup-user SERVER`: what the BMC says about itself, and enrolling Anvil's own
/// BMC user (IPMI only).
struct BMCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmc", abstract: "Ask a server's BMC about itself, or enrol Anvil's own BMC user.",
        subcommands: [Info.self, SetupUser.self])

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Show what the BMC reports.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The Server's name.") var server: String
        @Option(help: "Seconds to wait for the BMC.") var timeout: Double = 30

        func run() async throws {
            try await runCLI {
                let result = try await BMCDCall(runDirectory: global.runDirectory.path)
                    .call("bmc.info", params: .object(["server": .string(server), "timeout": .double(timeout)]), timeout: timeout)
                guard case .object(let fields) = result else { throw CLIError("bmcd answered \(result)") }
                for key in fields.keys.sorted() {
                    let value = fields[key]!
                    out("\(key): \(value.stringValue ?? "\(value)")")
                }
            }
        }
    }

    struct SetupUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup-user",
            abstract: "Create or reset a BMC user over IPMI, verify its login, and store it in Secret default/<server>-bmc.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The Server's name.") var server: String
        @Option(help: "User name to enrol.") var user = "anvil"
        @Option(help: "Password (default: 16 random characters).") var password: String?
        @Option(help: "User slot (default: the slot with that name, else the first empty one).") var userId: Int?
        @Option(help: "Seconds to wait for the BMC.") var timeout: Double = 60

        func run() async throws {
            try await runCLI {
                var params: [String: JSONValue] = ["server": .string(server), "user": .string(user), "timeout": .double(timeout)]
                if let password { params["password"] = .string(password) }
                if let userId { params["userId"] = .int(Int64(userId)) }
                let result = try await BMCDCall(runDirectory: global.runDirectory.path).call("bmc.setupUser", params: .object(params), timeout: timeout)
                out("\(server): BMC user \(result["user"]?.stringValue ?? user) enrolled in slot \(result["userId"]?.intValue.map(String.init) ?? "?"), credentials in Secret \(result["secret"]?.stringValue ?? "?")")
            }
        }
    }
}
