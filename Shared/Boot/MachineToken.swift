import Crypto
import Foundation
import Synchronization

/// The key of machine tokens: HMAC-SHA256 under a key kept in the state directory, so every
/// bootd and metadatad replica mints and checks the same tokens with no shared table. The tokens
/// themselves are ``AttemptToken``s, bound to a boot attempt (docs/security.md).
public struct MachineTokenKey: Sendable {
    // Raw bytes: SymmetricKey is not Sendable; making one per token is cheap.
    private let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// 32 hex digits (128 bits of the HMAC of `message`): short enough for a kernel command line.
    func hmacHex(_ message: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: bytes))
        return mac.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares lower-cased `token` with `expected` in time independent of where they differ.
    public static func constantTimeEqual(_ token: String, _ expectedToken: String) -> Bool {
        let expected = Array(expectedToken.utf8)
        let given = Array(token.lowercased().utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// Reads `<state>/machine-token.key`, creating it (32 random bytes, mode 0600) if missing.
    /// Several processes may start at once: the key is written to a temporary file and linked
    /// into place, so exactly one wins and the others read its key.
    public static func loadOrCreate(stateDirectory: URL) throws -> MachineTokenKey {
        let path = stateDirectory.appendingPathComponent("machine-token.key").path
        if let existing = try read(path) { return existing }
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw MachineTokenError("cannot create the machine token key \(path): \(String(cString: strerror(errno)))")
        }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let writeError = errno
        close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw MachineTokenError("cannot write the machine token key \(temporary): \(String(cString: strerror(writeError)))")
        }
        defer { unlink(temporary) }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw MachineTokenError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard let key = try read(path) else { throw MachineTokenError("\(path) vanished after creation") }
        return key
    }

    private static func read(_ path: String) throws -> MachineTokenKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count == 32 else {
            throw MachineTokenError("\(path) is not a 32-byte key: remove it to have a new one made (tokens already handed out stop working)")
        }
        return MachineTokenKey(bytes: Array(data))
    }
}

public struct MachineTokenError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
