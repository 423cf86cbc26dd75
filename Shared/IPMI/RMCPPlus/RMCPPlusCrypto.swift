import Crypto
import Foundation
import _CryptoExtras

/// The HMACs and AES-CBC-128 that RAKP and RMCP+ sessions use (IPMI v2.0 spec §13.28–13.32).
enum RMCPPlusCrypto {
    /// HMAC with the hash of a RAKP authentication algorithm; RAKP-none has no HMAC, so it yields no bytes.
    static func hmac(_ algorithm: IPMIAuthenticationAlgorithm, key: [UInt8], data: [UInt8]) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        switch algorithm {
        case .rakpHMACSHA1:
            return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: symmetricKey))
        case .rakpHMACSHA256:
            return Array(HMAC<SHA256>.authenticationCode(for: data, using: symmetricKey))
        case .rakpHMACMD5:
            return Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: symmetricKey))
        case .none:
            return []
        }
    }

    /// The session trailer AuthCode: HMAC-K1 over AuthType … next header, truncated (spec §13.28.4).
    static func authCode(_ algorithm: IPMIIntegrityAlgorithm, key: [UInt8], data: [UInt8]) throws(IPMIDecodeError) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        let digest: [UInt8]
        switch algorithm {
        case .hmacSHA1_96:
            digest = Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: symmetricKey))
        case .hmacSHA256_128:
            digest = Array(HMAC<SHA256>.authenticationCode(for: data, using: symmetricKey))
        case .hmacMD5_128:
            digest = Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: symmetricKey))
        case .none, .md5_128:
            // MD5-128 mixes the user password into each packet; no supported suite uses it.
            throw .invalidArgument("integrity algorithm \(algorithm) is not supported")
        }
        return Array(digest.prefix(algorithm.authCodeLength))
    }

    static let aesBlockSize = 16

    /// IV ‖ AES-CBC-128(K2[0..<16], plaintext ‖ 01 02 … N ‖ N), N making whole blocks (spec §13.29).
    static func encryptAESCBC128(_ plaintext: [UInt8], k2: [UInt8], iv: [UInt8]) throws(IPMIDecodeError) -> [UInt8] {
        guard iv.count == aesBlockSize else {
            throw .invalidArgument("AES-CBC-128 IV must be 16 bytes, got \(iv.count)")
        }
        guard k2.count >= 16 else {
            throw .invalidArgument("K2 must be at least 16 bytes, got \(k2.count)")
        }
        let padLength = (aesBlockSize - (plaintext.count + 1) % aesBlockSize) % aesBlockSize
        var padded = plaintext
        padded += (0..<padLength).map { UInt8($0 + 1) }
        padded.append(UInt8(padLength))
        do {
            let ciphertext = try AES._CBC.encrypt(
                padded, using: SymmetricKey(data: k2.prefix(16)), iv: AES._CBC.IV(ivBytes: iv), noPadding: true)
            return iv + Array(ciphertext)
        } catch {
            throw .invalidArgument("AES-CBC-128 encryption failed: \(error)")
        }
    }

    /// Reverses `encryptAESCBC128`, checking the 01 02 … N, N pad.
    static func decryptAESCBC128(_ payload: [UInt8], k2: [UInt8]) throws(IPMIDecodeError) -> [UInt8] {
        guard payload.count >= 2 * aesBlockSize, payload.count % aesBlockSize == 0 else {
            throw .badPadding("encrypted payload of \(payload.count) bytes is not IV plus whole AES blocks")
        }
        guard k2.count >= 16 else {
            throw .invalidArgument("K2 must be at least 16 bytes, got \(k2.count)")
        }
        let plaintext: [UInt8]
        do {
            let iv = try AES._CBC.IV(ivBytes: payload.prefix(aesBlockSize))
            plaintext = Array(
                try AES._CBC.decrypt(
                    payload.dropFirst(aesBlockSize), using: SymmetricKey(data: k2.prefix(16)), iv: iv, noPadding: true))
        } catch {
            throw .badPadding("AES-CBC-128 decryption failed: \(error)")
        }
        guard let padLengthByte = plaintext.last, Int(padLengthByte) < aesBlockSize,
            Int(padLengthByte) < plaintext.count
        else {
            throw .badPadding("confidentiality pad length \(plaintext.last.map(Int.init) ?? -1)")
        }
        let padLength = Int(padLengthByte)
        let messageLength = plaintext.count - 1 - padLength
        for index in 0..<padLength where plaintext[messageLength + index] != UInt8(index + 1) {
            throw .badPadding("confidentiality pad is not 01 02 … \(padLength)")
        }
        return Array(plaintext.prefix(messageLength))
    }
}
