import AnvilResources

/// The two files an Environment names, under the names bootd serves them by
/// (`/env/<name>/vmlinuz`, `/env/<name>/initramfs.xz`).
enum EnvironmentAssetKind: String, CaseIterable, Sendable {
    case kernel = "vmlinuz"
    case initrd = "initramfs.xz"

    var fileName: String { rawValue }

    /// Where the spec says this asset comes from; nil when it names none (no URL, or an empty one).
    func spec(in spec: EnvironmentSpec) -> AssetSpec? {
        let url: String?
        let sha512: String?
        switch self {
        case .kernel: (url, sha512) = (spec.kernel?.url, spec.kernel?.sha512)
        case .initrd: (url, sha512) = (spec.initrd?.url, spec.initrd?.sha512)
        }
        guard let url, !url.isEmpty else { return nil }
        return AssetSpec(url: url, sha512: sha512.flatMap { $0.isEmpty ? nil : $0.lowercased() })
    }
}

/// One asset as the spec states it.
struct AssetSpec: Sendable, Hashable {
    let url: String
    /// Lower-case hex; nil when the spec gives none (then any content is accepted).
    let sha512: String?

    var isFileURL: Bool { url.lowercased().hasPrefix("file://") }
}

/// What a fetch depends on: when it changes, a waiting retry is dropped and the new spec is tried
/// at once; a deleted and re-created Environment (new uid) starts afresh too.
struct EnvironmentAssetsKey: Sendable, Hashable {
    let uid: String?
    let kernel: AssetSpec?
    let initrd: AssetSpec?

    init(_ environment: Environment) {
        uid = environment.metadata.uid
        kernel = EnvironmentAssetKind.kernel.spec(in: environment.spec)
        initrd = EnvironmentAssetKind.initrd.spec(in: environment.spec)
    }
}
