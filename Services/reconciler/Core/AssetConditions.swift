import AnvilResources
import AnvilStore
import Foundation

/// How the reconciler writes `status.conditions`: one `Ready` condition per asset, matched to the
/// spec by the model's rule (``AssetCondition/matches(_:)``), the one bootd serves by.
enum AssetConditions {
    static let type = AssetCondition.readyType

    /// Why an asset is not ready: being fetched, or the fetch failed (with the error).
    enum NotReadyReason: Sendable, Equatable {
        case fetching
        case fetchFailed(String)
    }

    /// The Ready=True condition that lets bootd serve `asset`, if any.
    static func ready(in conditions: [AssetCondition], for asset: EnvironmentAssetSpec) -> AssetCondition? {
        conditions.first { $0.status == "True" && $0.matches(asset) }
    }

    /// Not ready, for whatever the spec says now: written before a file is replaced (so a stale
    /// Ready=True can never vouch for the new bytes), and again with the error when the fetch fails.
    static func notReady(_ asset: EnvironmentAssetSpec, _ why: NotReadyReason = .fetching) -> AssetCondition {
        switch why {
        case .fetching:
            return AssetCondition(
                url: asset.url, sha512: asset.sha512, type: type, status: "False", reason: "Fetching",
                message: "downloading \(asset.url)")
        case .fetchFailed(let error):
            return AssetCondition(
                url: asset.url, sha512: asset.sha512, type: type, status: "False", reason: "FetchFailed", message: error)
        }
    }

    /// Ready, carrying the digest of the bytes on disk (the spec's when it gave one).
    static func ready(url: String, sha512: String) -> AssetCondition {
        AssetCondition(
            url: url, sha512: sha512, type: type, status: "True", reason: "Fetched",
            message: "on disk, sha512 \(sha512.prefix(16))…")
    }

    /// The conditions for the spec's assets, in kernel-then-initrd order: `decided` for the
    /// assets just settled, otherwise the existing condition that still matches the asset
    /// (True preferred). Conditions for URLs or hashes the spec no longer names are dropped.
    /// A decided condition keeps the lastTransitionTime of the one it replaces when the status
    /// is the same, else takes `now`.
    static func merged(
        _ existing: [AssetCondition], spec: EnvironmentSpec, decided: [EnvironmentAssetKind: AssetCondition],
        now: Date = Date()
    ) -> [AssetCondition] {
        var result: [AssetCondition] = []
        for kind in EnvironmentAssetKind.allCases {
            guard let asset = kind.spec(in: spec) else { continue }
            let previous = ready(in: existing, for: asset) ?? existing.first { $0.matches(asset) }
            var kept = previous
            if var condition = decided[kind] {
                condition.lastTransitionTime =
                    previous?.status == condition.status
                    ? previous?.lastTransitionTime ?? Timestamp.rfc3339(now) : Timestamp.rfc3339(now)
                kept = condition
            }
            if let kept, !result.contains(kept) { result.append(kept) }
        }
        return result
    }
}
