import AnvilResources
import AnvilStore
import Foundation
import Testing
@testable import ReconcilerCore

/// How `status.conditions` is written: one Ready condition per asset the spec names, matched by
/// URL and (when given) sha512, so a condition for an older spec never vouches for the new one.
@Suite struct AssetConditionsTests {
    static let kernelURL = "http://mirror/vmlinuz"
    static let initrdURL = "http://mirror/initramfs.xz"
    static let digest = String(repeating: "ab", count: 64)

    static let spec = EnvironmentSpec(kernel: Kernel(url: kernelURL), initrd: Initrd(url: initrdURL))
    static var kernel: EnvironmentAssetSpec { EnvironmentAssetKind.kernel.spec(in: spec)! }

    static func condition(_ url: String, _ status: String, sha512: String? = nil) -> AssetCondition {
        AssetCondition(url: url, sha512: sha512, type: AssetCondition.readyType, status: status)
    }

    @Test func notReadyCarriesTheSpecAsItIsNow() {
        let asset = EnvironmentAssetSpec(url: Self.kernelURL, sha512: Self.digest)
        var fetching = Self.condition(Self.kernelURL, "False", sha512: Self.digest)
        fetching.reason = "Fetching"
        fetching.message = "downloading \(Self.kernelURL)"
        #expect(AssetConditions.notReady(asset) == fetching)
        var failed = fetching
        failed.reason = "FetchFailed"
        failed.message = "HTTP 404"
        #expect(AssetConditions.notReady(asset, .fetchFailed("HTTP 404")) == failed)
        var ready = Self.condition(Self.kernelURL, "True", sha512: Self.digest)
        ready.reason = "Fetched"
        ready.message = "on disk, sha512 abababababababab…"
        #expect(AssetConditions.ready(url: Self.kernelURL, sha512: Self.digest) == ready)
    }

    @Test func lastTransitionTimeChangesOnlyWithStatus() throws {
        let first = Date(timeIntervalSince1970: 1_795_611_600)
        let later = first.addingTimeInterval(60)
        let asset = try #require(EnvironmentAssetKind.kernel.spec(in: Self.spec))
        let fetching = AssetConditions.merged([], spec: Self.spec, decided: [.kernel: AssetConditions.notReady(asset)], now: first)
        #expect(fetching.first?.lastTransitionTime == Timestamp.rfc3339(first))
        // Still False (now failed): the message changes, the transition time does not.
        let failed = AssetConditions.merged(
            fetching, spec: Self.spec, decided: [.kernel: AssetConditions.notReady(asset, .fetchFailed("HTTP 500"))], now: later)
        #expect(failed.first?.reason == "FetchFailed")
        #expect(failed.first?.lastTransitionTime == Timestamp.rfc3339(first))
        // False → True: a new transition time.
        let ready = AssetConditions.merged(
            failed, spec: Self.spec, decided: [.kernel: AssetConditions.ready(url: Self.kernelURL, sha512: Self.digest)], now: later)
        #expect(ready.first?.status == "True")
        #expect(ready.first?.lastTransitionTime == Timestamp.rfc3339(later))
    }

    @Test func readyFindsOnlyATrueConditionForTheCurrentSpec() {
        let asset = EnvironmentAssetSpec(url: Self.kernelURL, sha512: Self.digest)
        let falseOne = Self.condition(Self.kernelURL, "False", sha512: Self.digest)
        let otherDigest = Self.condition(Self.kernelURL, "True", sha512: String(repeating: "cd", count: 64))
        let otherURL = Self.condition("http://old/vmlinuz", "True", sha512: Self.digest)
        #expect(AssetConditions.ready(in: [falseOne, otherDigest, otherURL], for: asset) == nil)
        // The digest is compared case-insensitively.
        let upper = Self.condition(Self.kernelURL, "True", sha512: Self.digest.uppercased())
        #expect(AssetConditions.ready(in: [falseOne, upper], for: asset) == upper)
        // Without a sha512 in the spec, any digest on disk will do.
        let unpinned = EnvironmentAssetSpec(url: Self.kernelURL, sha512: nil)
        #expect(AssetConditions.ready(in: [otherDigest], for: unpinned) == otherDigest)
    }

    @Test func mergedListsKernelThenInitrd() {
        let existing = [Self.condition(Self.initrdURL, "True"), Self.condition(Self.kernelURL, "True")]
        let merged = AssetConditions.merged(existing, spec: Self.spec, decided: [:])
        #expect(merged.map(\.url) == [Self.kernelURL, Self.initrdURL])
    }

    @Test func mergedDropsConditionsForURLsTheSpecNoLongerNames() {
        let existing = [
            Self.condition("http://old/vmlinuz", "True"), Self.condition(Self.kernelURL, "True"),
            Self.condition("http://old/initramfs.xz", "True"),
        ]
        let merged = AssetConditions.merged(existing, spec: Self.spec, decided: [:])
        #expect(merged == [Self.condition(Self.kernelURL, "True")])
        // A spec without assets keeps nothing.
        #expect(AssetConditions.merged(existing, spec: EnvironmentSpec(), decided: [:]).isEmpty)
    }

    @Test func mergedPrefersTrueOverFalseForTheSameAsset() {
        let existing = [Self.condition(Self.kernelURL, "False"), Self.condition(Self.kernelURL, "True")]
        let merged = AssetConditions.merged(existing, spec: Self.spec, decided: [:])
        #expect(merged == [Self.condition(Self.kernelURL, "True")])
        // With only a False one, the False one is kept.
        let onlyFalse = AssetConditions.merged([Self.condition(Self.kernelURL, "False")], spec: Self.spec, decided: [:])
        #expect(onlyFalse == [Self.condition(Self.kernelURL, "False")])
    }

    @Test func decidedConditionsReplaceExistingOnes() {
        let existing = [Self.condition(Self.kernelURL, "True"), Self.condition(Self.initrdURL, "True")]
        let decided = [EnvironmentAssetKind.kernel: AssetConditions.notReady(Self.kernel)]
        let now = Date(timeIntervalSince1970: 1_795_611_600)
        let merged = AssetConditions.merged(existing, spec: Self.spec, decided: decided, now: now)
        var notReady = AssetConditions.notReady(Self.kernel)
        notReady.lastTransitionTime = Timestamp.rfc3339(now)
        #expect(merged == [notReady, Self.condition(Self.initrdURL, "True")])
    }

    @Test func mergedDropsAConditionWhoseDigestTheSpecNoLongerNames() {
        let pinned = EnvironmentSpec(kernel: Kernel(url: Self.kernelURL, sha512: Self.digest))
        let stale = Self.condition(Self.kernelURL, "True", sha512: String(repeating: "cd", count: 64))
        #expect(AssetConditions.merged([stale], spec: pinned, decided: [:]).isEmpty)
    }
}
