import Foundation
import AnvilJSON
import AnvilResources

/// kubectl-style three-way apply: fields the manifest sets win, fields it dropped since the last apply
/// are removed, and fields someone else set (agent inventory, controller finalizers) are kept.
enum ApplyMerge {
    static let lastAppliedAnnotation = "anvil.sidero.dev/last-applied-configuration"

    static func merge(manifest: Resource, stored: Resource) -> Resource {
        var result = stored
        result.apiVersion = manifest.apiVersion
        let lastApplied = stored.metadata.annotations?[lastAppliedAnnotation]
            .flatMap { try? JSONValue(data: Data($0.utf8)) }
        // Secrets replace their data whole, and never keep a plaintext copy in an annotation.
        let keepsHistory = manifest.kind != "Secret"

        for key in Set(manifest.body.keys).union(stored.body.keys) where key != "status" {
            let merged = merge3(
                stored: stored.body[key], manifest: manifest.body[key],
                lastApplied: keepsHistory ? lastApplied?[key] : nil, replaceWhole: !keepsHistory)
            result.body[key] = merged
        }
        result.metadata.labels = mergeStrings(
            stored: stored.metadata.labels, manifest: manifest.metadata.labels,
            lastApplied: lastApplied?["metadata"]?["labels"])
        var annotations = mergeStrings(
            stored: stored.metadata.annotations, manifest: manifest.metadata.annotations,
            lastApplied: lastApplied?["metadata"]?["annotations"]) ?? [:]
        if keepsHistory {
            annotations[lastAppliedAnnotation] = lastAppliedText(manifest)
        } else {
            annotations[lastAppliedAnnotation] = nil
        }
        result.metadata.annotations = annotations.isEmpty ? nil : annotations
        if let finalizers = manifest.metadata.finalizers { result.metadata.finalizers = finalizers }
        if let owners = manifest.metadata.ownerReferences { result.metadata.ownerReferences = owners }
        result.metadata.resourceVersion = stored.metadata.resourceVersion
        return result
    }

    /// The annotation recorded at create time, so a later apply knows what it set.
    static func annotateForCreate(_ manifest: Resource) -> Resource {
        guard manifest.kind != "Secret" else { return manifest }
        var result = manifest
        var annotations = result.metadata.annotations ?? [:]
        annotations[lastAppliedAnnotation] = lastAppliedText(manifest)
        result.metadata.annotations = annotations
        return result
    }

    /// The manifest as applied, with inline passwords masked: the merge only asks whether a
    /// field was applied, never its old value, so the mask keeps it working.
    private static func lastAppliedText(_ manifest: Resource) -> String {
        var copy = InlinePasswords.masked(manifest)
        copy.status = nil
        copy.metadata.annotations?[lastAppliedAnnotation] = nil
        if copy.metadata.annotations?.isEmpty == true { copy.metadata.annotations = nil }
        copy.metadata.resourceVersion = nil
        copy.metadata.uid = nil
        copy.metadata.generation = nil
        copy.metadata.creationTimestamp = nil
        copy.metadata.deletionTimestamp = nil
        return copy.json.jsonString()
    }

    static func merge3(stored: JSONValue?, manifest: JSONValue?, lastApplied: JSONValue?, replaceWhole: Bool = false) -> JSONValue? {
        if replaceWhole { return manifest }
        guard let manifest else {
            // Dropped from the manifest since the last apply: remove; never applied: keep.
            return lastApplied == nil ? stored : nil
        }
        guard case .object(let manifestObject) = manifest, case .object(let storedObject)? = stored else {
            return manifest
        }
        var result: [String: JSONValue] = [:]
        for key in Set(manifestObject.keys).union(storedObject.keys) {
            if let value = merge3(stored: storedObject[key], manifest: manifestObject[key], lastApplied: lastApplied?[key]) {
                result[key] = value
            }
        }
        return .object(result)
    }

    private static func mergeStrings(
        stored: [String: String]?, manifest: [String: String]?, lastApplied: JSONValue?
    ) -> [String: String]? {
        var result = stored ?? [:]
        for key in (lastApplied?.objectValue ?? [:]).keys where manifest?[key] == nil {
            result[key] = nil
        }
        for (key, value) in manifest ?? [:] { result[key] = value }
        return result.isEmpty ? nil : result
    }
}
