import AnvilJSON

/// One RFC 6902 operation, its members already checked and its pointers parsed.
public enum JSONPatchOperation: Sendable, Hashable {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    /// Decodes `{"op": …, "path": …, "from"?: …, "value"?: …}`; other members are ignored
    /// (RFC 6902 §4). `index` is the operation's position in its patch, for error messages.
    public init(json: JSONValue, index: Int) throws(JSONPatchError) {
        guard case .object(let members) = json else {
            throw JSONPatchError(index: index, op: nil, path: nil, from: nil,
                                 reason: .operationNotAnObject(found: JSONPatchError.kind(of: json)))
        }
        let op = members["op"]?.stringValue
        let usesFrom = op == "move" || op == "copy"
        let context = Context(index: index, op: op, path: members["path"]?.stringValue,
                              from: usesFrom ? members["from"]?.stringValue : nil)

        let name = try context.string("op", in: members)
        switch name {
        case "add": self = .add(path: try context.pointer("path", in: members), value: try context.value(in: members))
        case "remove": self = .remove(path: try context.pointer("path", in: members))
        case "replace": self = .replace(path: try context.pointer("path", in: members), value: try context.value(in: members))
        case "move": self = .move(from: try context.pointer("from", in: members), path: try context.pointer("path", in: members))
        case "copy": self = .copy(from: try context.pointer("from", in: members), path: try context.pointer("path", in: members))
        case "test": self = .test(path: try context.pointer("path", in: members), value: try context.value(in: members))
        default: throw context.failure(.unknownOp(name))
        }
    }

    public var op: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .replace: "replace"
        case .move: "move"
        case .copy: "copy"
        case .test: "test"
        }
    }

    public var path: JSONPointer {
        switch self {
        case .add(let path, _), .remove(let path), .replace(let path, _), .test(let path, _),
             .move(_, let path), .copy(_, let path):
            path
        }
    }

    public var from: JSONPointer? {
        switch self {
        case .move(let from, _), .copy(let from, _): from
        default: nil
        }
    }

    /// The operation as a JSON Patch member object.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["op": .string(op), "path": .string(path.description)]
        if let from { object["from"] = .string(from.description) }
        switch self {
        case .add(_, let value), .replace(_, let value), .test(_, let value): object["value"] = value
        default: break
        }
        return .object(object)
    }

    /// Applies this operation to `document` in place. On error `document` may be half-edited
    /// (a move that removed but could not add), so callers work on a copy: ``JSONPatch/apply(to:)``.
    func apply(to document: inout JSONValue) throws(JSONPatchError) {
        switch self {
        case .add(let path, let value):
            try document.add(value, at: path, member: "path")
        case .remove(let path):
            _ = try document.remove(at: path, member: "path")
        case .replace(let path, let value):
            try document.replace(at: path, with: value, member: "path")
        case .move(let from, let path):
            guard from != path else {
                _ = try document.value(at: from, member: "from")
                return
            }
            guard !from.isProperPrefix(of: path) else { throw JSONPatchError(.moveIntoOwnChild) }
            let value = try document.remove(at: from, member: "from")
            try document.add(value, at: path, member: "path")
        case .copy(let from, let path):
            let value = try document.value(at: from, member: "from")
            try document.add(value, at: path, member: "path")
        case .test(let path, let expected):
            let actual = try document.value(at: path, member: "path")
            guard actual.isJSONEqual(to: expected) else { throw JSONPatchError(.testFailed(actual: actual, expected: expected)) }
        }
    }

    /// What the decoder knows about the operation so far, to put in its errors.
    private struct Context {
        let index: Int
        let op: String?
        let path: String?
        let from: String?

        func failure(_ reason: JSONPatchError.Reason) -> JSONPatchError {
            JSONPatchError(index: index, op: op, path: path, from: from, reason: reason)
        }

        func string(_ member: String, in members: [String: JSONValue]) throws(JSONPatchError) -> String {
            guard let value = members[member] else { throw failure(.missingMember(member)) }
            guard case .string(let text) = value else {
                throw failure(.memberNotAString(member, found: JSONPatchError.kind(of: value)))
            }
            return text
        }

        func pointer(_ member: String, in members: [String: JSONValue]) throws(JSONPatchError) -> JSONPointer {
            let text = try string(member, in: members)
            do throws(JSONPointer.SyntaxError) {
                return try JSONPointer(text)
            } catch {
                throw failure(.invalidPointer(member: member, problem: error.problem))
            }
        }

        /// A present `null` is a value; only a missing member is an error.
        func value(in members: [String: JSONValue]) throws(JSONPatchError) -> JSONValue {
            guard let value = members["value"] else { throw failure(.missingMember("value")) }
            return value
        }
    }
}
