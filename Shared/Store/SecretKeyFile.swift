import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the 32-byte secrets key, creating it on first use. Creation writes a private temp file
/// (mode 0600) and then link()s it into place: link fails if the name exists, so processes that
/// race on a fresh state directory all end up reading the one key that won.
enum SecretKeyFile {
    static let keyLength = 32

    /// Callers that may create a key must first know that no Secret is sealed with another one
    /// (``SecretKeyCheck``): a fresh key would orphan them.
    static func loadOrCreate(at path: String) throws -> [UInt8] {
        if let key = try load(path) { return key }
        try create(path)
        guard let key = try load(path) else { throw StoreError.secretKey("\(path) vanished after creation") }
        return key
    }

    /// The key, or nil when the file does not exist.
    static func load(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.secretKey("cannot open \(path): \(errnoText())")
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: keyLength + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.secretKey("cannot read \(path): \(errnoText())")
            }
            if count == 0 { break }
            total += count
        }
        guard total == keyLength else {
            throw StoreError.secretKey("\(path) must hold exactly \(keyLength) bytes, found \(total)")
        }
        return Array(bytes[0..<keyLength])
    }

    private static func create(_ path: String) throws {
        let temporary = "\(path).\(getpid()).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.secretKey("cannot create \(temporary): \(errnoText())") }
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            // open()'s mode is filtered by umask; make 0600 exact.
            guard fchmod(fd, 0o600) == 0 else { throw StoreError.secretKey("cannot chmod key: \(errnoText())") }
            let key = SymmetricKey(size: .bits256)
            let bytes = key.withUnsafeBytes { Array($0) }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.secretKey("cannot write key: \(errnoText())")
                }
                written += count
            }
            guard fsync(fd) == 0 else { throw StoreError.secretKey("cannot sync key: \(errnoText())") }
        }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw StoreError.secretKey("cannot install \(path): \(errnoText())")
        }
    }
}
