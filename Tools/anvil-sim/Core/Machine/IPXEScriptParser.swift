import Foundation

/// A small parser for the iPXE scripts bootd serves (Shared/Boot/IPXEScript.swift): only the
/// commands those scripts use. Pure, so it is unit-tested on its own.
public enum IPXEScriptParser {
    public static func parse(_ text: String) throws(IPXEScriptError) -> IPXEAnswer {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "#!ipxe" else {
            throw IPXEScriptError("not an iPXE script (first line \"\(lines.first.map { String($0.prefix(40)) } ?? "")\")")
        }
        for line in lines.dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch words[0] {
            case "exit":
                return .exit
            case "sanboot":
                return .sanboot
            case "kernel":
                guard words.count >= 2 else { throw IPXEScriptError("\(words[0]) without an image") }
                var arguments: [String: String] = [:]
                var flags: [String] = []
                for word in words.dropFirst(2) {
                    if let equals = word.firstIndex(of: "=") {
                        arguments[String(word[..<equals])] = String(word[word.index(after: equals)...])
                    } else {
                        flags.append(word)
                    }
                }
                return .kernel(path: words[1], arguments: arguments, flags: flags)
            case "initrd", "echo", "set", "sleep", "prompt", "ifstat", "route":
                continue  // no effect on where the machine goes
            default:
                throw IPXEScriptError("unsupported iPXE command \"\(words[0])\"")
            }
        }
        throw IPXEScriptError("the script boots nothing (no kernel, exit or sanboot)")
    }
}
