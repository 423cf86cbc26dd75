/// An RFC 6901 JSON Pointer: a path of reference tokens into a JSON document.
/// The empty pointer (`""`) is the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// Why a pointer string is not a JSON Pointer.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public let pointer: String
        public let problem: String

        public init(pointer: String, problem: String) {
            self.pointer = pointer
            self.problem = problem
        }

        public var description: String { "invalid JSON pointer \(JSONPointer.quoted(pointer)): \(problem)" }
    }

    /// The unescaped reference tokens (`~1` is already `/`, `~0` already `~`).
    public let tokens: [String]

    /// The token for the position past the last array element: a place to add to, never a value.
    public static let endOfArray = "-"

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    public init(_ text: String) throws(SyntaxError) {
        guard !text.isEmpty else {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw SyntaxError(pointer: text, problem: "must be empty or start with \"/\"")
        }
        var tokens: [String] = []
        var token = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.dropFirst().makeIterator()
        // One left-to-right pass, so "~01" decodes to "~1" and not "/" (RFC 6901 §4).
        while let scalar = scalars.next() {
            switch scalar {
            case "/":
                tokens.append(String(token))
                token = String.UnicodeScalarView()
            case "~":
                switch scalars.next() {
                case "0"?: token.append("~")
                case "1"?: token.append("/")
                case let other?:
                    throw SyntaxError(pointer: text, problem: "\"~\(other)\" is not an escape (only ~0 and ~1 are)")
                case nil:
                    throw SyntaxError(pointer: text, problem: "ends with an incomplete \"~\" escape (only ~0 and ~1 are escapes)")
                }
            default:
                token.append(scalar)
            }
        }
        tokens.append(String(token))
        self.tokens = tokens
    }

    /// The pointer text, tokens re-escaped.
    public var description: String {
        var text = ""
        for token in tokens {
            text.append("/")
            for scalar in token.unicodeScalars {
                switch scalar {
                case "~": text.append("~0")
                case "/": text.append("~1")
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        return text
    }

    public var isRoot: Bool { tokens.isEmpty }

    /// The pointer to the containing value; `nil` for the root.
    public var parent: JSONPointer? {
        isRoot ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// True when `other` lies strictly inside the value this pointer names.
    public func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && other.tokens.starts(with: tokens)
    }

    /// The array index a token names: ASCII digits only, no leading zeros (RFC 6901 §4).
    /// `nil` for anything else, including `-` and numbers too large to be an index.
    public static func arrayIndex(_ token: String) -> Int? {
        let digits = token.utf8
        guard let first = digits.first, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        guard first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        return Int(token)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out.append("\\u{\(String(scalar.value, radix: 16))}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
