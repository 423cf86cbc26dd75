import Foundation

/// `anvil up`'s reminder that bootd has no agent environment to serve yet.
enum AgentEnvironmentNotice {
    /// The notice line when `<state>/agent/agent-amd64/` lacks vmlinuz or initramfs.xz, else nil.
    static func message(stateDirectory: URL) -> String? {
        let directory = stateDirectory.appendingPathComponent("agent/agent-\(AgentArch.amd64.rawValue)", isDirectory: true)
        let complete = ["vmlinuz", "initramfs.xz"].allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard !complete else { return nil }
        return "anvil up: no agent environment in \(directory.path); unknown servers cannot be discovered until you run: anvil agent build --install"
    }
}
