import AnvilResources

/// Adding and removing one finalizer in an object's metadata.
enum Finalizers {
    static func has(_ metadata: ObjectMeta, _ finalizer: String) -> Bool {
        metadata.finalizers?.contains(finalizer) == true
    }

    /// Adds `finalizer` unless present.
    static func add(_ finalizer: String, to metadata: inout ObjectMeta) {
        guard !has(metadata, finalizer) else { return }
        metadata.finalizers = (metadata.finalizers ?? []) + [finalizer]
    }

    /// Removes `finalizer`; an empty list becomes nil (the store deletes an object being deleted
    /// once its last finalizer is gone).
    static func remove(_ finalizer: String, from metadata: inout ObjectMeta) {
        guard let current = metadata.finalizers else { return }
        let left = current.filter { $0 != finalizer }
        metadata.finalizers = left.isEmpty ? nil : left
    }
}
