/// The two files an Environment names, under the names bootd serves them by
/// (`/env/<name>/vmlinuz`, `/env/<name>/initramfs.xz`) and the reconciler stores them as.
public enum EnvironmentAssetKind: String, CaseIterable, Sendable {
    case kernel = "vmlinuz"
    case initrd = "initramfs.xz"

    public var fileName: String { rawValue }

    /// Where the spec says this asset comes from; nil when it names none (no URL, or an empty one).
    public func spec(in spec: EnvironmentSpec) -> EnvironmentAssetSpec? {
        let url: String?
        let sha512: String?
        switch self {
        case .kernel: (url, sha512) = (spec.kernel?.url, spec.kernel?.sha512)
        case .initrd: (url, sha512) = (spec.initrd?.url, spec.initrd?.sha512)
        }
        guard let url, !url.isEmpty else { return nil }
        return EnvironmentAssetSpec(url: url, sha512: sha512.flatMap { $0.isEmpty ? nil : $0.lowercased() })
    }
}

/// One asset as the spec states it.
public struct EnvironmentAssetSpec: Sendable, Hashable {
    public let url: String
    /// Lower-case hex; nil when the spec gives none (then any content is accepted).
    public let sha512: String?

    public init(url: String, sha512: String?) {
        self.url = url
        self.sha512 = sha512
    }
}

extension AssetCondition {
    public static let readyType = "Ready"

    /// Whether this condition speaks of `asset` as the spec states it now: its URL and, when the
    /// spec gives one, its sha512. A condition for an older spec never vouches for a newer one.
    public func matches(_ asset: EnvironmentAssetSpec) -> Bool {
        type == Self.readyType && url == asset.url && (asset.sha512 == nil || sha512?.lowercased() == asset.sha512)
    }
}

extension Environment {
    /// The Ready=True condition that lets bootd serve this asset, if any.
    public func readyCondition(for kind: EnvironmentAssetKind) -> AssetCondition? {
        guard let asset = kind.spec(in: spec) else { return nil }
        return (status.conditions ?? []).first { $0.status == "True" && $0.matches(asset) }
    }

    /// It names a kernel and every asset it names is ready for the current spec.
    public var assetsReady: Bool {
        readyCondition(for: .kernel) != nil && (EnvironmentAssetKind.initrd.spec(in: spec) == nil || readyCondition(for: .initrd) != nil)
    }
}
