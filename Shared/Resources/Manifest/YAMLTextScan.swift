/// Finds YAML text that nests flow collections too deeply or uses an alias inside a mapping key. Yams checks keys for duplicates by
/// hashing them while it composes, and hashing an aliased key walks its full expansion: a
/// "billion laughs" placed in a key would hang the parser before any node budget could apply.
/// Real manifests never key a mapping by an alias, so such text is refused outright.
///
/// A textual scan (Yams exposes no event stream): quoted scalars and comments are skipped; an
/// alias counts only when an anchor of that name is defined somewhere in the text.
enum YAMLTextScan {
    /// The deepest flow nesting (`[`/`{`) accepted: Yams composes recursively, so 100 000
    /// nested brackets would overflow the stack.
    static let maximumFlowDepth = 100

    /// A description of the first problem (too deep, or an alias used in a key), or nil.
    static func problem(in text: String) -> String? {
        var deepest = (depth: 0, line: 0)
        let tokens = scan(Array(text.utf8), deepest: &deepest)
        if deepest.depth > maximumFlowDepth {
            return "line \(deepest.line): flow collections ([ or {) nested deeper than \(maximumFlowDepth) levels (the limit)"
        }
        let anchors = Set(tokens.compactMap { $0.kind == .anchor ? $0.name : nil })
        let aliases = tokens.filter { $0.kind == .alias && anchors.contains($0.name) }
        guard !aliases.isEmpty else { return nil }
        if let key = aliases.first(where: \.followedByColon) {
            return "line \(key.line): alias *\(key.name) is used as a mapping key; aliases may not be used in mapping keys"
        }
        // Complex keys (`? …`, `[…]: `, `{…}: `) may hold aliases anywhere inside them.
        if let complex = tokens.first(where: { $0.kind == .complexKey }) {
            return "line \(complex.line): a complex mapping key (? or [ ]:) in text that uses aliases; aliases may not be used in mapping keys"
        }
        return nil
    }

    private struct Token {
        enum Kind { case anchor, alias, complexKey }
        var kind: Kind
        var name: String
        var line: Int
        var followedByColon: Bool
    }

    private static func scan(_ bytes: [UInt8], deepest: inout (depth: Int, line: Int)) -> [Token] {
        var tokens: [Token] = []
        var depth = 0
        var index = 0
        var line = 1
        var previous: UInt8 = UInt8(ascii: "\n")
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "#") where isSpace(previous):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "'") where startsToken(previous), UInt8(ascii: "\"") where startsToken(previous):
                index = skipQuoted(bytes, from: index, line: &line)
                previous = byte
                continue
            case UInt8(ascii: "&") where startsToken(previous), UInt8(ascii: "*") where startsToken(previous):
                var end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
                if end > index + 1 {
                    let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    var next = end
                    while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
                    let colon = next < bytes.count && bytes[next] == UInt8(ascii: ":")
                        && (next + 1 == bytes.count || isSpace(bytes[next + 1]) || isFlowEnd(bytes[next + 1]))
                    tokens.append(Token(kind: byte == UInt8(ascii: "&") ? .anchor : .alias, name: name, line: line, followedByColon: colon))
                    previous = bytes[end - 1]
                    index = end
                    continue
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > deepest.depth { deepest = (depth, line) }
            case UInt8(ascii: "?") where startsToken(previous) && (index + 1 == bytes.count || isSpace(bytes[index + 1])):
                tokens.append(Token(kind: .complexKey, name: "?", line: line, followedByColon: false))
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                var next = index + 1
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
                if next < bytes.count, bytes[next] == UInt8(ascii: ":"),
                    next + 1 == bytes.count || isSpace(bytes[next + 1]) || isFlowEnd(bytes[next + 1])
                {
                    tokens.append(Token(kind: .complexKey, name: "]", line: line, followedByColon: false))
                }
            default:
                break
            }
            previous = byte
            index += 1
        }
        return tokens
    }

    /// The index after the closing quote ('' and \" escapes honoured).
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, line: inout Int) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == quote {
                if quote == UInt8(ascii: "'"), index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return index
    }

    private static func startsToken(_ previous: UInt8) -> Bool {
        isSpace(previous) || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
            || previous == UInt8(ascii: ",") || previous == UInt8(ascii: "-") || previous == UInt8(ascii: ":")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func isFlowEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }

    /// Anchor names as libyaml scans them: letters, digits, '-' and '_'.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
