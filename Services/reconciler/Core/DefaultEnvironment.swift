import AnvilResources
import AnvilStore

/// The `default` Environment, created when missing and never overwritten (Sidero's
/// `ReconcileEnvironmentDefault`): Talos's amd64 kernel and initramfs from its GitHub release,
/// or from the mirror an air-gapped site names with `--default-environment-url`.
struct DefaultEnvironment: Sendable {
    /// A Talos release Sidero 0.6 boots (Sidero fixed its TalosRelease at build time; Anvil pins it here).
    static let talosRelease = "v1.5.5"
    static let releaseURL = "https://github.com/siderolabs/talos/releases/download/\(talosRelease)"

    /// Talos's `kernel.DefaultArgs` for that release, as Sidero renders them.
    static let talosKernelArguments = [
        "init_on_alloc=1", "slab_nomerge=", "pti=on", "consoleblank=0", "nvme_core.io_timeout=4294967295",
        "random.trust_cpu=on", "printk.devkmsg=on", "ima_template=ima-ng", "ima_appraise=fix", "ima_hash=sha512",
    ]
    static let sideroKernelArguments = [
        "console=tty0", "console=ttyS0", "earlyprintk=ttyS0", "initrd=initramfs.xz", "talos.platform=metal",
    ]

    /// Where `vmlinuz-amd64` and `initramfs-amd64.xz` are fetched from (no trailing slash).
    let baseURL: String

    init(baseURL: String = Self.releaseURL) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// Sidero's `EnvironmentDefaultSpec`: arguments sorted, no sha512 (none is published with them).
    var spec: EnvironmentSpec {
        EnvironmentSpec(
            kernel: Kernel(url: "\(baseURL)/vmlinuz-amd64", args: (Self.talosKernelArguments + Self.sideroKernelArguments).sorted()),
            initrd: Initrd(url: "\(baseURL)/initramfs-amd64.xz"))
    }

    /// The stored `default`, created first if there is none. Returns it and whether it was created.
    func ensureExists(in store: Store) async throws -> (resource: Resource, created: Bool) {
        let kind = Environment.resourceKind.kind
        if let existing = try await store.find(kind: kind, name: Environment.defaultName) { return (existing, false) }
        do {
            let created = try await store.create(Environment(metadata: ObjectMeta(name: Environment.defaultName), spec: spec).resource)
            return (created, true)
        } catch StoreError.alreadyExists {
            // Someone (an operator's apply) won the race: theirs stands.
            return (try await store.get(kind: kind, name: Environment.defaultName), false)
        }
    }
}
