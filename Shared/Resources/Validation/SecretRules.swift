import AnvilJSON
import Foundation

/// Secret checks and the Kubernetes write-time normalisation: `stringData` is base64-encoded
/// into `data` (winning over the same key there) and dropped; `type` defaults to Opaque.
enum SecretRules {
    static func normalise(_ secret: Secret) throws -> Secret {
        var secret = secret
        for (key, value) in (secret.data ?? [:]).sorted(by: { $0.key < $1.key }) {
            try checkKey(key, field: "data")
            guard Data(base64Encoded: value) != nil else {
                throw ResourceError.invalid(field: "data.\(key)", message: "invalid base64")
            }
        }
        if let stringData = secret.stringData {
            var data = secret.data ?? [:]
            for (key, value) in stringData.sorted(by: { $0.key < $1.key }) {
                try checkKey(key, field: "stringData")
                data[key] = Data(value.utf8).base64EncodedString()
            }
            secret.data = data
            secret.stringData = nil
        }
        if (secret.type ?? "").isEmpty {
            secret.type = Secret.defaultType
        }
        return secret
    }

    /// Secret keys: at most 253 of letters, digits, '-', '_' and '.'.
    private static func checkKey(_ key: String, field: String) throws {
        let allowed = !key.isEmpty && key.utf8.count <= 253 && key != "." && key != ".."
            && key.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
        guard allowed else {
            throw ResourceError.invalid(
                field: field, message: "invalid key \"\(key)\": use at most 253 letters, digits, '-', '_' or '.'")
        }
    }
}
