import AnvilResources
import Foundation

/// Creates, updates and deletes. Each is one back-end write transaction that also takes the next
/// global revision and appends to the change feed, so readers never see one without the other.
/// What to write is decided here, from the stored row, so every back-end decides alike.
extension Store {
    /// Stores a new object: sets uid, resourceVersion, generation 1 and creationTimestamp.
    /// A status the client sends is ignored, as Kubernetes does: status is written only by
    /// `updateStatus` (or `mutate`), so create then report.
    public func create(_ resource: Resource) async throws -> Resource {
        var withoutStatus = resource
        withoutStatus.body["status"] = nil
        let incoming = ResourceMerge.normalized(try validate(withoutStatus))
        try WriteRules.checkSize(incoming)
        let codec = self.codec
        let clock = options.clock
        return try await backend.writeResource(ResourceKey(incoming), fence: fence) { stored, revision in
            if stored != nil {
                throw StoreError.alreadyExists(kind: incoming.kind, namespace: incoming.namespace, name: incoming.name)
            }
            var created = incoming
            created.metadata.uid = UUID().uuidString.lowercased()
            created.metadata.resourceVersion = String(revision)
            created.metadata.generation = 1
            created.metadata.creationTimestamp = Timestamp.rfc3339(clock())
            created.metadata.deletionTimestamp = nil
            return WriteDecision(write: .insert(try codec.encode(created, revision: revision)), verb: .created, result: created)
        }
    }

    /// Replaces everything but status and store-managed metadata (a status the client sends is
    /// ignored; the stored one is kept).
    /// `metadata.resourceVersion` set: compare-and-swap (else `StoreError.conflict`);
    /// nil: unconditional (what `anvil apply` sends). Returns the stored object unchanged, with no
    /// new revision, when nothing differs. Removing the last finalizer of an object being deleted
    /// deletes it (the returned object carries the deletion's revision).
    public func update(_ resource: Resource) async throws -> Resource {
        var withoutStatus = resource
        withoutStatus.body["status"] = nil
        let incoming = ResourceMerge.normalized(try validate(withoutStatus))
        let codec = self.codec
        return try await backend.writeResource(ResourceKey(incoming), fence: fence) { row, revision in
            let stored = try Self.decodeForWrite(row, codec: codec, incoming)
            try Self.checkVersion(incoming, against: stored)
            return try Self.commit(
                codec: codec, stored: stored, revision: revision,
                next: ResourceMerge.merge(stored: stored, incoming: incoming, scope: .allButStatus))
        }
    }

    /// Replaces only `status` (compare-and-swap as in `update`). `validate` sees the stored object
    /// carrying the new status.
    public func updateStatus(_ resource: Resource) async throws -> Resource {
        let incoming = ResourceMerge.normalized(resource)
        let (codec, validate) = (self.codec, self.validate)
        return try await backend.writeResource(ResourceKey(incoming), fence: fence) { row, revision in
            let stored = try Self.decodeForWrite(row, codec: codec, incoming)
            try Self.checkVersion(incoming, against: stored)
            var proposed = stored
            proposed.body["status"] = incoming.body["status"]
            let validated = try validate(proposed)
            return try Self.commit(
                codec: codec, stored: stored, revision: revision,
                next: ResourceMerge.merge(stored: stored, incoming: validated, scope: .statusOnly))
        }
    }

    /// Reads the object, lets `transform` change it (spec, status, labels, finalizers…), validates
    /// and writes it, all in one write transaction: no conflict is possible, so controllers need
    /// no retry loop. Throws `notFound`, or whatever `transform`/validation throws (nothing written).
    public func mutate(
        kind: String, namespace: String = "", name: String,
        _ transform: @Sendable (inout Resource) throws -> Void
    ) async throws -> Resource {
        let (codec, validate) = (self.codec, self.validate)
        let key = ResourceKey(kind: kind, namespace: namespace, name: name)
        return try await backend.writeResource(key, fence: fence) { row, revision in
            guard let row else { throw StoreError.notFound(kind: kind, namespace: namespace, name: name) }
            let stored = try codec.decode(row)
            var proposed = stored
            try transform(&proposed)
            let validated = ResourceMerge.normalized(try validate(proposed))
            return try Self.commit(
                codec: codec, stored: stored, revision: revision,
                next: ResourceMerge.merge(stored: stored, incoming: validated, scope: .everything))
        }
    }

    /// Deletes the object, or, while finalizers remain, marks it with a deletionTimestamp (once).
    public func delete(kind: String, namespace: String = "", name: String) async throws -> DeleteOutcome {
        let codec = self.codec
        let clock = options.clock
        let key = ResourceKey(kind: kind, namespace: namespace, name: name)
        return try await backend.writeResource(key, fence: fence) { row, revision -> WriteDecision<DeleteOutcome> in
            guard let row else { throw StoreError.notFound(kind: kind, namespace: namespace, name: name) }
            let stored = try codec.decode(row)
            if !(stored.metadata.finalizers ?? []).isEmpty {
                if stored.metadata.deletionTimestamp != nil { return .nothing(.deletionPending(stored)) }
                var marked = stored
                marked.metadata.deletionTimestamp = Timestamp.rfc3339(clock())
                marked.metadata.resourceVersion = String(revision)
                return WriteDecision(
                    write: .replace(try codec.encode(marked, revision: revision)), verb: .updated,
                    result: .deletionPending(marked))
            }
            var gone = stored
            gone.metadata.resourceVersion = String(revision)
            return WriteDecision(write: .remove, verb: .deleted, result: .deleted(gone))
        }
    }

    private static func decodeForWrite(_ row: StoredRow?, codec: ResourceCodec, _ incoming: Resource) throws -> Resource {
        guard let row else {
            throw StoreError.notFound(kind: incoming.kind, namespace: incoming.namespace, name: incoming.name)
        }
        return try codec.decode(row)
    }

    /// Compare-and-swap on resourceVersion; a nil version from the client means "unconditional".
    private static func checkVersion(_ incoming: Resource, against stored: Resource) throws {
        guard let expected = incoming.metadata.resourceVersion else { return }
        let actual = stored.metadata.resourceVersion ?? ""
        if expected != actual {
            throw StoreError.conflict(
                kind: stored.kind, namespace: stored.namespace, name: stored.name, expected: expected, actual: actual)
        }
    }

    /// Writes `next` over `stored` unless they are equal; removes the object if it is being
    /// deleted and has no finalizers left. Refuses (writing nothing) a finalizer added to an
    /// object being deleted and an object over the size limit (``WriteRules``).
    private static func commit(
        codec: ResourceCodec, stored: Resource, revision: Int64, next: Resource
    ) throws -> WriteDecision<Resource> {
        if next == stored { return .nothing(stored) }
        try WriteRules.checkFinalizers(stored: stored, next: next)
        try WriteRules.checkSize(next)
        var written = next
        written.metadata.resourceVersion = String(revision)
        if next.metadata.deletionTimestamp != nil, (next.metadata.finalizers ?? []).isEmpty {
            return WriteDecision(write: .remove, verb: .deleted, result: written)
        }
        return WriteDecision(write: .replace(try codec.encode(written, revision: revision)), verb: .updated, result: written)
    }
}
