import AnvilJSON

/// Why a JSON Patch could not be read or applied. Operators read `description` verbatim in HTTP
/// error bodies, so it names the operation (0-based index, op, path, from) and exactly what failed:
/// `operation 2 (replace /machine/install/disk): path not found: no member "install" in object at /machine`.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The patch text is not JSON; the parser's message.
        case invalidJSON(String)
        /// The patch is not an array; `found` is the JSON type it is.
        case patchNotAnArray(found: String)
        case operationNotAnObject(found: String)
        case missingMember(String)
        /// `op`, `path` or `from` is present but not a string.
        case memberNotAString(String, found: String)
        case unknownOp(String)
        /// `path` or `from` is not a JSON Pointer.
        case invalidPointer(member: String, problem: String)
        /// `path` or `from` names nothing usable in the document; `problem` says where the walk stopped.
        case notFound(member: String, problem: String)
        case removeRoot
        /// A `move` whose `from` is a proper prefix of its `path`.
        case moveIntoOwnChild
        case testFailed(actual: JSONValue, expected: JSONValue)
    }

    /// The 0-based operation index; `nil` when the patch as a whole is unreadable.
    public let index: Int?
    /// The operation's members as written (raw, since they may be what is wrong).
    public let op: String?
    public let path: String?
    public let from: String?
    public let reason: Reason

    public init(index: Int?, op: String?, path: String?, from: String?, reason: Reason) {
        self.index = index
        self.op = op
        self.path = path
        self.from = from
        self.reason = reason
    }

    /// A failure not yet tied to an operation; ``JSONPatch`` adds the operation.
    init(_ reason: Reason) {
        self.init(index: nil, op: nil, path: nil, from: nil, reason: reason)
    }

    public var description: String {
        guard let index else { return problem }
        var subject: [String] = []
        if let op { subject.append(op) }
        if let path { subject.append(Self.displayed(pointer: path)) }
        if let from { subject.append("from " + Self.displayed(pointer: from)) }
        let heading = subject.isEmpty ? "operation \(index)" : "operation \(index) (\(subject.joined(separator: " ")))"
        return heading + ": " + problem
    }

    /// The reason alone, without the operation heading.
    public var problem: String {
        switch reason {
        case .invalidJSON(let message):
            return "patch is not valid JSON: \(message)"
        case .patchNotAnArray(let found):
            return "a JSON Patch must be an array of operations, found \(found)"
        case .operationNotAnObject(let found):
            return "an operation must be an object, found \(found)"
        case .missingMember(let member):
            return "missing member \"\(member)\""
        case .memberNotAString(let member, let found):
            return "member \"\(member)\" must be a string, found \(found)"
        case .unknownOp(let op):
            return "unknown op \(JSONPointer.quoted(op)) (expected add, remove, replace, move, copy or test)"
        case .invalidPointer(let member, let problem):
            return "\(member) is not a JSON pointer: \(problem)"
        case .notFound(let member, let problem):
            return "\(member) not found: \(problem)"
        case .removeRoot:
            return "cannot remove the whole document (replace it instead)"
        case .moveIntoOwnChild:
            return "cannot move a value into itself: from is a prefix of path"
        case .testFailed(let actual, let expected):
            return "test failed: found \(Self.abbreviated(actual)), expected \(Self.abbreviated(expected))"
        }
    }

    /// The JSON type name used in messages.
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A location inside the document, for "… at /machine" phrases.
    static func location(_ pointer: JSONPointer) -> String {
        pointer.isRoot ? "the document root" : pointer.description
    }

    /// Raw pointers are shown bare unless that would be ambiguous (empty, spaces, quotes, controls).
    private static func displayed(pointer: String) -> String {
        let plain = !pointer.isEmpty && pointer.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" && !$0.properties.isWhitespace
        }
        return plain ? pointer : JSONPointer.quoted(pointer)
    }

    // Test values can be whole subtrees; an error body needs only enough to recognise them.
    private static func abbreviated(_ value: JSONValue) -> String {
        let text = value.jsonString()
        let limit = 200
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
