import AnvilResources

/// The `status.conditions` rules shared with bootd: one `Ready` condition per asset URL, and a
/// condition vouches for an asset only with the spec's URL and, when the spec gives one, its sha512.
enum AssetConditions {
    static let type = "Ready"

    /// bootd's test (Services/bootd/EnvironmentAssets.swift), status aside.
    static func matches(_ condition: AssetCondition, _ asset: AssetSpec) -> Bool {
        condition.type == type && condition.url == asset.url
            && (asset.sha512 == nil || condition.sha512?.lowercased() == asset.sha512)
    }

    /// The Ready=True condition that lets bootd serve `asset`, if any.
    static func ready(in conditions: [AssetCondition], for asset: AssetSpec) -> AssetCondition? {
        conditions.first { $0.status == "True" && matches($0, asset) }
    }

    /// Not ready, for whatever the spec says now: written before a file is replaced (so a stale
    /// Ready=True can never vouch for the new bytes) and left in place when the fetch fails.
    static func notReady(_ asset: AssetSpec) -> AssetCondition {
        AssetCondition(url: asset.url, sha512: asset.sha512, type: type, status: "False")
    }

    /// Ready, carrying the digest of the bytes on disk (the spec's when it gave one).
    static func ready(url: String, sha512: String) -> AssetCondition {
        AssetCondition(url: url, sha512: sha512, type: type, status: "True")
    }

    /// The conditions for the spec's assets, in kernel-then-initrd order: `decided` for the
    /// assets just settled, otherwise the existing condition that still matches the asset
    /// (True preferred). Conditions for URLs or hashes the spec no longer names are dropped.
    static func merged(
        _ existing: [AssetCondition], spec: EnvironmentSpec, decided: [EnvironmentAssetKind: AssetCondition]
    ) -> [AssetCondition] {
        var result: [AssetCondition] = []
        for kind in EnvironmentAssetKind.allCases {
            guard let asset = kind.spec(in: spec) else { continue }
            let kept = decided[kind] ?? ready(in: existing, for: asset) ?? existing.first { matches($0, asset) }
            if let kept, !result.contains(kept) { result.append(kept) }
        }
        return result
    }
}
