import AnvilJSON
import Foundation

/// The agent's subcommands for operators and tests, run outside PID 1: `inventory` prints what
/// the agent would register, `wipe` wipes the named block devices (docs/agent.md).
public enum AgentTools {
    /// `anvil-agent setup`: what PID 1 does first (mounts, modules), for a shell-driven initramfs
    /// such as the wipe benchmark's.
    public static func setup() -> Int32 {
        let setup = SystemSetup(log: ConsoleLog().sink)
        setup.mountPseudoFileSystems()
        setup.loadModules()
        return 0
    }

    /// `anvil-agent inventory [--root DIR]`: the registration as one JSON object.
    public static func inventory(arguments: [String]) async -> Int32 {
        let root = value(of: "--root", in: arguments) ?? "/"
        let log = ConsoleLog().sink
        let system = LinuxAgentSystem(log: log, root: root, bmc: { nil })
        do {
            let registration = try await system.registration()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(registration), as: UTF8.self))
            return 0
        } catch {
            FileHandle.standardError.write(Data("anvil-agent inventory: \(error)\n".utf8))
            return 1
        }
    }

    /// `anvil-agent wipe --mode fast|full DEVICE…`: what the agent does to each disk, timed.
    public static func wipe(arguments: [String]) async -> Int32 {
        let log = ConsoleLog().sink
        guard let modeText = value(of: "--mode", in: arguments), let mode = WipeMode(rawValue: modeText) else {
            FileHandle.standardError.write(Data("anvil-agent wipe: --mode fast|full is required\n".utf8))
            return 2
        }
        let devices = arguments.enumerated().filter { index, word in
            !word.hasPrefix("--") && (index == 0 || arguments[index - 1] != "--mode")
        }.map(\.element)
        guard !devices.isEmpty else {
            FileHandle.standardError.write(Data("anvil-agent wipe: name at least one block device\n".utf8))
            return 2
        }
        do {
            var targets: [WipeTarget] = []
            for path in devices {
                let device = try BlockDevice(path: path)
                targets.append(WipeTarget(devicePath: path, size: try device.size()))
            }
            for line in try await DiskWiper().wipe(targets, mode: mode, progress: { _ in }) { log(line) }
            return 0
        } catch {
            FileHandle.standardError.write(Data("anvil-agent wipe: \(error)\n".utf8))
            return 1
        }
    }

    static func value(of flag: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
