import AnvilResources
import Foundation
import GRDB

/// Creates, updates and deletes. Each is one IMMEDIATE write transaction that also takes the next
/// global revision and appends to the change feed, so readers never see one without the other.
extension Store {
    /// Stores a new object: sets uid, resourceVersion, generation 1 and creationTimestamp.
    /// A status the client sends is ignored, as Kubernetes does: status is written only by
    /// `updateStatus` (or `mutate`), so create then report.
    public func create(_ resource: Resource) async throws -> Resource {
        var withoutStatus = resource
        withoutStatus.body["status"] = nil
        let incoming = ResourceMerge.normalized(try validate(withoutStatus))
        try WriteRules.checkSize(incoming)
        let (cipher, changeLog) = (self.cipher, self.changeLog)
        let clock = options.clock
        return try await write { db in
            let table = ResourceTable(cipher: cipher)
            let (kind, namespace, name) = (incoming.kind, incoming.namespace, incoming.name)
            if try table.exists(db, kind: kind, namespace: namespace, name: name) {
                throw StoreError.alreadyExists(kind: kind, namespace: namespace, name: name)
            }
            let revision = try changeLog.record(db, kind: kind, namespace: namespace, name: name, verb: .created)
            var created = incoming
            created.metadata.uid = UUID().uuidString.lowercased()
            created.metadata.resourceVersion = String(revision)
            created.metadata.generation = 1
            created.metadata.creationTimestamp = Timestamp.rfc3339(clock())
            created.metadata.deletionTimestamp = nil
            try table.insert(db, created, revision: revision)
            return created
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
        let (cipher, changeLog) = (self.cipher, self.changeLog)
        return try await write { db in
            let stored = try Self.fetchForWrite(db, cipher: cipher, incoming)
            try Self.checkVersion(incoming, against: stored)
            return try Self.commit(
                db, cipher: cipher, changeLog: changeLog, stored: stored,
                next: ResourceMerge.merge(stored: stored, incoming: incoming, scope: .allButStatus))
        }
    }

    /// Replaces only `status` (compare-and-swap as in `update`). `validate` sees the stored object
    /// carrying the new status.
    public func updateStatus(_ resource: Resource) async throws -> Resource {
        let incoming = ResourceMerge.normalized(resource)
        let (cipher, validate, changeLog) = (self.cipher, self.validate, self.changeLog)
        return try await write { db in
            let stored = try Self.fetchForWrite(db, cipher: cipher, incoming)
            try Self.checkVersion(incoming, against: stored)
            var proposed = stored
            proposed.body["status"] = incoming.body["status"]
            let validated = try validate(proposed)
            return try Self.commit(
                db, cipher: cipher, changeLog: changeLog, stored: stored,
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
        let (cipher, validate, changeLog) = (self.cipher, self.validate, self.changeLog)
        return try await write { db in
            guard let stored = try ResourceTable(cipher: cipher).fetch(db, kind: kind, namespace: namespace, name: name)
            else { throw StoreError.notFound(kind: kind, namespace: namespace, name: name) }
            var proposed = stored
            try transform(&proposed)
            let validated = ResourceMerge.normalized(try validate(proposed))
            return try Self.commit(
                db, cipher: cipher, changeLog: changeLog, stored: stored,
                next: ResourceMerge.merge(stored: stored, incoming: validated, scope: .everything))
        }
    }

    /// Deletes the object, or, while finalizers remain, marks it with a deletionTimestamp (once).
    public func delete(kind: String, namespace: String = "", name: String) async throws -> DeleteOutcome {
        let (cipher, changeLog) = (self.cipher, self.changeLog)
        let clock = options.clock
        return try await write { db in
            let table = ResourceTable(cipher: cipher)
            guard let stored = try table.fetch(db, kind: kind, namespace: namespace, name: name) else {
                throw StoreError.notFound(kind: kind, namespace: namespace, name: name)
            }
            if !(stored.metadata.finalizers ?? []).isEmpty {
                if stored.metadata.deletionTimestamp != nil { return .deletionPending(stored) }
                var marked = stored
                marked.metadata.deletionTimestamp = Timestamp.rfc3339(clock())
                let revision = try changeLog.record(db, kind: kind, namespace: namespace, name: name, verb: .updated)
                marked.metadata.resourceVersion = String(revision)
                try table.replace(db, marked, revision: revision)
                return .deletionPending(marked)
            }
            let revision = try changeLog.record(db, kind: kind, namespace: namespace, name: name, verb: .deleted)
            try table.remove(db, kind: kind, namespace: namespace, name: name)
            var gone = stored
            gone.metadata.resourceVersion = String(revision)
            return .deleted(gone)
        }
    }

    private static func fetchForWrite(_ db: Database, cipher: SecretCipher, _ incoming: Resource) throws -> Resource {
        guard
            let stored = try ResourceTable(cipher: cipher).fetch(
                db, kind: incoming.kind, namespace: incoming.namespace, name: incoming.name)
        else { throw StoreError.notFound(kind: incoming.kind, namespace: incoming.namespace, name: incoming.name) }
        return stored
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
        _ db: Database, cipher: SecretCipher, changeLog: ChangeLog, stored: Resource, next: Resource
    ) throws -> Resource {
        if next == stored { return stored }
        try WriteRules.checkFinalizers(stored: stored, next: next)
        try WriteRules.checkSize(next)
        let table = ResourceTable(cipher: cipher)
        let (kind, namespace, name) = (stored.kind, stored.namespace, stored.name)
        var written = next
        if next.metadata.deletionTimestamp != nil, (next.metadata.finalizers ?? []).isEmpty {
            let revision = try changeLog.record(db, kind: kind, namespace: namespace, name: name, verb: .deleted)
            try table.remove(db, kind: kind, namespace: namespace, name: name)
            written.metadata.resourceVersion = String(revision)
            return written
        }
        let revision = try changeLog.record(db, kind: kind, namespace: namespace, name: name, verb: .updated)
        written.metadata.resourceVersion = String(revision)
        try table.replace(db, written, revision: revision)
        return written
    }
}
