import AnvilResources

extension EnvironmentAssetSpec {
    var isFileURL: Bool { url.lowercased().hasPrefix("file://") }
}

/// What a fetch depends on: when it changes, a waiting retry is dropped and the new spec is tried
/// at once; a deleted and re-created Environment (new uid) starts afresh too.
struct EnvironmentAssetsKey: Sendable, Hashable {
    let uid: String?
    let kernel: EnvironmentAssetSpec?
    let initrd: EnvironmentAssetSpec?

    init(_ environment: Environment) {
        uid = environment.metadata.uid
        kernel = EnvironmentAssetKind.kernel.spec(in: environment.spec)
        initrd = EnvironmentAssetKind.initrd.spec(in: environment.spec)
    }
}
