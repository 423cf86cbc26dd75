import Crypto
import Foundation

/// AES-256-GCM sealing of Secret payloads under the key in `secrets.key`.
/// The row's identity (kind/namespace/name) is bound as associated data, so a ciphertext
/// copied onto another row does not decrypt.
struct SecretCipher: Sendable {
    /// Prefix byte of every sealed blob, so a later key-rotation format can be told apart.
    private static let formatVersion: UInt8 = 1
    /// Raw bytes rather than SymmetricKey, which is not Sendable; a key is rebuilt per use (cheap).
    private let keyBytes: [UInt8]

    init(keyBytes: [UInt8]) {
        self.keyBytes = keyBytes
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    func seal(_ plaintext: Data, kind: String, namespace: String, name: String) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Self.associatedData(kind, namespace, name))
        guard let combined = box.combined else { throw StoreError.corrupt("AES-GCM produced no combined box") }
        return Data([Self.formatVersion]) + combined
    }

    func open(_ sealed: Data, kind: String, namespace: String, name: String) throws -> Data {
        guard sealed.first == Self.formatVersion else {
            throw StoreError.corrupt("secret \(namespace)/\(name): unknown sealed format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return try AES.GCM.open(box, using: key, authenticating: Self.associatedData(kind, namespace, name))
        } catch {
            // Never include payload bytes in the message.
            throw StoreError.corrupt("secret \(namespace)/\(name) cannot be decrypted with this secrets.key")
        }
    }

    private static func associatedData(_ kind: String, _ namespace: String, _ name: String) -> Data {
        Data("anvil-secret\u{0}\(kind)\u{0}\(namespace)\u{0}\(name)".utf8)
    }
}
