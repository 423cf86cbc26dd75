import AnvilJSON
import AnvilResources
import Foundation
import GRDB

/// Rows of the `resources` table <-> `Resource`, inside a caller's transaction.
/// metadata is stored as JSON from ObjectMeta's Codable (so fields added to ObjectMeta are kept);
/// the body as compact sorted JSON; a Secret's `data`/`stringData` only as AES-GCM ciphertext.
struct ResourceTable {
    static let secretKind = "Secret"
    static let sealedFields = ["data", "stringData"]
    static let selectColumns = "apiVersion, metadata, body, sealed, kind, namespace, name"

    let cipher: SecretCipher
    let metadataDecoder = JSONDecoder()
    let metadataEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func fetch(_ db: Database, kind: String, namespace: String, name: String) throws -> Resource? {
        let row = try Row.fetchOne(
            db, sql: "SELECT \(Self.selectColumns) FROM resources WHERE kind = ? AND namespace = ? AND name = ?",
            arguments: [kind, namespace, name])
        return try row.map { try decode($0) }
    }

    func exists(_ db: Database, kind: String, namespace: String, name: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM resources WHERE kind = ? AND namespace = ? AND name = ?)",
            arguments: [kind, namespace, name]) ?? false
    }

    /// Decodes metadata first so a caller filtering on labels can skip the body.
    func decodeMetadata(_ row: Row) throws -> ObjectMeta {
        let text: String = row[1]
        do {
            return try metadataDecoder.decode(ObjectMeta.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("metadata of \(describe(row)): \(error)")
        }
    }

    func decode(_ row: Row, metadata: ObjectMeta? = nil) throws -> Resource {
        let metadata = try metadata ?? decodeMetadata(row)
        let kind: String = row[4]
        var body: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONParser.parse(row[2]) else {
                throw StoreError.corrupt("body of \(describe(row)) is not an object")
            }
            body = object
        } catch let error as JSONParser.Failure {
            throw StoreError.corrupt("body of \(describe(row)): \(error)")
        }
        if let sealed: Data = row[3] {
            let plaintext = try cipher.open(sealed, kind: kind, namespace: row[5], name: row[6])
            guard case .object(let fields) = try? JSONParser.parse(String(decoding: plaintext, as: UTF8.self)) else {
                throw StoreError.corrupt("sealed payload of \(describe(row)) is not an object")
            }
            body.merge(fields) { _, sealedValue in sealedValue }
        }
        return Resource(apiVersion: row[0], kind: kind, metadata: metadata, body: body)
    }

    func insert(_ db: Database, _ resource: Resource, revision: Int64) throws {
        let columns = try encode(resource)
        try db.execute(
            sql: """
                INSERT INTO resources (kind, namespace, name, uid, resourceVersion, apiVersion, metadata, body, sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                resource.kind, resource.namespace, resource.name, resource.metadata.uid ?? "", revision,
                resource.apiVersion, columns.metadata, columns.body, columns.sealed,
            ])
    }

    func replace(_ db: Database, _ resource: Resource, revision: Int64) throws {
        let columns = try encode(resource)
        try db.execute(
            sql: """
                UPDATE resources SET resourceVersion = ?, apiVersion = ?, metadata = ?, body = ?, sealed = ?
                WHERE kind = ? AND namespace = ? AND name = ?
                """,
            arguments: [
                revision, resource.apiVersion, columns.metadata, columns.body, columns.sealed,
                resource.kind, resource.namespace, resource.name,
            ])
    }

    func remove(_ db: Database, kind: String, namespace: String, name: String) throws {
        try db.execute(
            sql: "DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?",
            arguments: [kind, namespace, name])
    }

    private func encode(_ resource: Resource) throws -> (metadata: String, body: String, sealed: Data?) {
        let metadata = String(decoding: try metadataEncoder.encode(resource.metadata), as: UTF8.self)
        var body = resource.body
        var sealed: Data?
        if resource.kind == Self.secretKind {
            var payload: [String: JSONValue] = [:]
            for field in Self.sealedFields {
                if let value = body.removeValue(forKey: field) { payload[field] = value }
            }
            if !payload.isEmpty {
                sealed = try cipher.seal(
                    Data(JSONWriter.string(payload).utf8), kind: resource.kind,
                    namespace: resource.namespace, name: resource.name)
            }
        }
        return (metadata, JSONWriter.string(body), sealed)
    }

    private func describe(_ row: Row) -> String {
        let kind: String = row[4]
        let namespace: String = row[5]
        let name: String = row[6]
        return "\(kind) \(StoreError.quoted(namespace, name))"
    }
}
