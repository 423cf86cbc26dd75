import AnvilBootFiles
import AnvilTFTP

/// Serves a boot file's bytes to the transfer state machine.
struct TFTPBootFileSource: TFTPBlockSource {
    let file: BootFile

    var size: Int { file.size }

    func bytes(at offset: Int, length: Int) throws -> [UInt8] {
        try file.bytes(at: offset, length: length)
    }
}
