import AnvilResources

/// How the reconciler writes `status.conditions`: one `Ready` condition per asset, matched to the
/// spec by the model's rule (``AssetCondition/matches(_:)``), the one bootd serves by.
enum AssetConditions {
    static let type = AssetCondition.readyType

    /// The Ready=True condition that lets bootd serve `asset`, if any.
    static func ready(in conditions: [AssetCondition], for asset: EnvironmentAssetSpec) -> AssetCondition? {
        conditions.first { $0.status == "True" && $0.matches(asset) }
    }

    /// Not ready, for whatever the spec says now: written before a file is replaced (so a stale
    /// Ready=True can never vouch for the new bytes) and left in place when the fetch fails.
    static func notReady(_ asset: EnvironmentAssetSpec) -> AssetCondition {
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
            let kept = decided[kind] ?? ready(in: existing, for: asset) ?? existing.first { $0.matches(asset) }
            if let kept, !result.contains(kept) { result.append(kept) }
        }
        return result
    }
}
