import Foundation

/// Reads `-f FILE` or `-f -` (standard input) as text.
enum ManifestInput {
    static func read(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            // The throwing read: readDataToEndOfFile() traps on any read error.
            do {
                data = try FileHandle.standardInput.readToEnd() ?? Data()
            } catch {
                throw CLIError("cannot read standard input: \(error.localizedDescription)")
            }
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("the path \"\(path)\" does not exist")
            }
            guard !isDirectory.boolValue else { throw CLIError("\"\(path)\" is a directory; give a file or -") }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read \"\(path)\"")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(path == "-" ? "standard input" : path) is not UTF-8 text")
        }
        return text
    }
}
