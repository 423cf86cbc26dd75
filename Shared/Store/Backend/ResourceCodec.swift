import AnvilJSON
import AnvilResources
import Foundation

/// `Resource` <-> ``StoredRow``, shared by every back-end so they store byte-identical rows.
/// metadata is stored as JSON from ObjectMeta's Codable (so fields added to ObjectMeta are kept);
/// the body as compact sorted JSON; a Secret's `data`/`stringData` only as AES-GCM ciphertext.
package struct ResourceCodec: Sendable {
    static let secretKind = "Secret"
    static let sealedFields = ["data", "stringData"]

    let cipher: SecretCipher
    let metadataDecoder = JSONDecoder()
    let metadataEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A codec sealing Secrets under the 32-byte `key` (the contents of `secrets.key`).
    package init(key: [UInt8]) {
        cipher = SecretCipher(keyBytes: key)
    }

    /// The row storing `resource` at `revision`.
    package func encode(_ resource: Resource, revision: Int64) throws -> StoredRow {
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
        return StoredRow(
            kind: resource.kind, namespace: resource.namespace, name: resource.name, uid: resource.metadata.uid ?? "",
            apiVersion: resource.apiVersion, metadata: metadata, body: JSONWriter.string(body), sealed: sealed,
            revision: revision)
    }

    /// Decodes metadata alone, so a caller filtering on labels can skip the body.
    package func decodeMetadata(_ row: StoredRow) throws -> ObjectMeta {
        do {
            return try metadataDecoder.decode(ObjectMeta.self, from: Data(row.metadata.utf8))
        } catch {
            throw StoreError.corrupt("metadata of \(describe(row)): \(error)")
        }
    }

    package func decode(_ row: StoredRow, metadata: ObjectMeta? = nil) throws -> Resource {
        let metadata = try metadata ?? decodeMetadata(row)
        var body: [String: JSONValue]
        do {
            guard case .object(let object) = try JSONParser.parse(row.body) else {
                throw StoreError.corrupt("body of \(describe(row)) is not an object")
            }
            body = object
        } catch let error as JSONParser.Failure {
            throw StoreError.corrupt("body of \(describe(row)): \(error)")
        }
        if let sealed = row.sealed {
            let plaintext = try cipher.open(sealed, kind: row.kind, namespace: row.namespace, name: row.name)
            guard case .object(let fields) = try? JSONParser.parse(String(decoding: plaintext, as: UTF8.self)) else {
                throw StoreError.corrupt("sealed payload of \(describe(row)) is not an object")
            }
            body.merge(fields) { _, sealedValue in sealedValue }
        }
        return Resource(apiVersion: row.apiVersion, kind: row.kind, metadata: metadata, body: body)
    }

    private func describe(_ row: StoredRow) -> String {
        "\(row.kind) \(StoreError.quoted(row.namespace, row.name))"
    }
}

extension ResourceKey {
    /// The key `resource` is stored under.
    package init(_ resource: Resource) {
        self.init(kind: resource.kind, namespace: resource.namespace, name: resource.name)
    }
}
