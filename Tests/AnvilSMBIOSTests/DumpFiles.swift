import Foundation
import Testing

/// The committed dumps in the test bundle's Dumps folder.
enum DumpFiles {
    static let qemuDumps = ["qemu-pc-custom", "qemu-q35-default"]

    static var directory: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "Dumps", withExtension: nil), "Dumps folder missing from the test bundle")
        }
    }

    static func url(_ name: String) throws -> URL {
        try directory.appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }
}
