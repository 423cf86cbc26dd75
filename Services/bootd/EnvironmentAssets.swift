import AnvilResources
import Foundation

/// The two files of an environment and when bootd may serve them.
enum EnvironmentAsset: String, CaseIterable, Sendable {
    case kernel = "vmlinuz"
    case initrd = "initramfs.xz"

    var fileName: String { rawValue }

    /// The asset's spec URL and sha512 (nil URL: the environment has no such asset).
    func spec(of environment: Environment) -> (url: String?, sha512: String?) {
        switch self {
        case .kernel: return (environment.spec.kernel?.url, environment.spec.kernel?.sha512)
        case .initrd: return (environment.spec.initrd?.url, environment.spec.initrd?.sha512)
        }
    }

    /// Ready means a Ready=True condition for the current URL and, when the spec gives one, the
    /// current sha512: a file fetched for an older spec is never served for a newer one.
    func isReady(in environment: Environment) -> Bool {
        let (url, sha512) = spec(of: environment)
        guard let url, !url.isEmpty else { return false }
        return (environment.status.conditions ?? []).contains { condition in
            condition.type == "Ready" && condition.status == "True" && condition.url == url
                && (sha512 == nil || sha512!.isEmpty || condition.sha512?.lowercased() == sha512!.lowercased())
        }
    }

    /// Every asset the environment names is ready (and it names a kernel).
    static func allReady(_ environment: Environment) -> Bool {
        guard EnvironmentAsset.kernel.isReady(in: environment) else { return false }
        let initrd = EnvironmentAsset.initrd.spec(of: environment).url
        return initrd == nil || initrd!.isEmpty || EnvironmentAsset.initrd.isReady(in: environment)
    }
}

/// Names of agent pseudo-environments, served from the agent directory instead of the store.
enum AgentEnvironment {
    static let architectures = ["amd64", "arm64"]

    static func name(arch: String) -> String { "agent-\(arch)" }

    static func isAgent(_ name: String) -> Bool {
        architectures.contains { name == "agent-\($0)" }
    }
}
