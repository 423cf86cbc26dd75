#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What PID 1 sets up before anything else (docs/agent.md "Start-up"): the pseudo file systems
/// and the kernel modules listed by `anvil agent build` in `/etc/anvil/modules`, in that order.
public struct SystemSetup: Sendable {
    let log: @Sendable (String) -> Void

    public init(log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    /// proc, sysfs, devtmpfs, tmpfs on /run and /tmp; already mounted ones are left as they are.
    public func mountPseudoFileSystems() {
        let mounts: [(source: String, target: String, type: String)] = [
            ("proc", "/proc", "proc"), ("sysfs", "/sys", "sysfs"), ("devtmpfs", "/dev", "devtmpfs"),
            ("tmpfs", "/run", "tmpfs"), ("tmpfs", "/tmp", "tmpfs"),
        ]
        for entry in mounts {
            mkdir(entry.target, 0o755)
            if mount(entry.source, entry.target, entry.type, 0, nil) != 0 && errno != EBUSY {
                log("mount \(entry.target) (\(entry.type)) failed: \(String(cString: strerror(errno)))")
            }
        }
        mkdir("/etc", 0o755)
    }

    /// Loads each module in the file's order; a module already loaded or built in is fine, any
    /// other failure is logged and the rest still load. Returns how many loaded.
    @discardableResult
    public func loadModules(listedIn listPath: String = "/etc/anvil/modules") -> Int {
        guard let text = try? String(contentsOfFile: listPath, encoding: .utf8) else {
            log("modules: no \(listPath); relying on built-in drivers")
            return 0
        }
        let paths = ModuleList.paths(in: text)
        var loaded = 0
        var failed: [String] = []
        for path in paths {
            let absolute = path.hasPrefix("/") ? path : "/" + path
            switch ModuleLoader.load(absolute) {
            case .loaded: loaded += 1
            case .alreadyPresent: break
            case .failed(let reason): failed.append("\(ModuleList.name(of: path)) (\(reason))")
            }
        }
        log("modules: \(loaded) of \(paths.count) loaded" + (failed.isEmpty ? "" : "; failed: \(failed.joined(separator: ", "))"))
        return loaded
    }
}

/// The `/etc/anvil/modules` format: one path per line, `#` comments and blank lines ignored.
public enum ModuleList {
    public static func paths(in text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// `kernel/drivers/net/virtio_net.ko` → `virtio_net`.
    public static func name(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.components(separatedBy: ".ko").first ?? file
    }
}
