import AnvilJSON

// The document edits behind the patch operations. `member` ("path" or "from") says which of the
// operation's pointers is being resolved, so errors can say which one failed.
extension JSONValue {
    /// The value `pointer` names, which must exist.
    func value(at pointer: JSONPointer, member: String) throws(JSONPatchError) -> JSONValue {
        var current = self
        for (depth, token) in pointer.tokens.enumerated() {
            let location = JSONPointer(tokens: Array(pointer.tokens.prefix(depth)))
            switch current {
            case .object(let object):
                guard let child = object[token] else { throw Self.noMember(token, at: location, member: member) }
                current = child
            case .array(let array):
                current = array[try Self.existingIndex(token, in: array, at: location, member: member)]
            default:
                throw Self.notAContainer(current, token: token, at: location, member: member)
            }
        }
        return current
    }

    /// Adds or overwrites a member, inserts into an array (`-` appends), or replaces the whole
    /// document for the root pointer. The parent must exist.
    mutating func add(_ value: JSONValue, at pointer: JSONPointer, member: String) throws(JSONPatchError) {
        guard let parent = pointer.parent, let token = pointer.tokens.last else {
            self = value
            return
        }
        try withValue(at: parent, depth: 0, member: member) { (container: inout JSONValue) throws(JSONPatchError) in
            switch container {
            case .object(var object):
                container = .null
                object[token] = value
                container = .object(object)
            case .array(var array):
                let index: Int
                if token == JSONPointer.endOfArray {
                    index = array.count
                } else {
                    guard let position = JSONPointer.arrayIndex(token) else {
                        throw Self.notAnIndex(token, at: parent, member: member)
                    }
                    guard position <= array.count else {
                        let (at, size) = (JSONPatchError.location(parent), Self.items(array.count))
                        throw Self.failure(member, "index \(position) is past the end of array at \(at) (\(size))")
                    }
                    index = position
                }
                container = .null
                array.insert(value, at: index)
                container = .array(array)
            default:
                throw Self.notAContainer(container, token: token, at: parent, member: member)
            }
        }
    }

    /// Removes the value `pointer` names, which must exist, and returns it.
    mutating func remove(at pointer: JSONPointer, member: String) throws(JSONPatchError) -> JSONValue {
        guard let parent = pointer.parent, let token = pointer.tokens.last else {
            throw JSONPatchError(.removeRoot)
        }
        return try withValue(at: parent, depth: 0, member: member) { (container: inout JSONValue) throws(JSONPatchError) in
            switch container {
            case .object(var object):
                guard object[token] != nil else { throw Self.noMember(token, at: parent, member: member) }
                container = .null
                let removed = object.removeValue(forKey: token)
                container = .object(object)
                return removed ?? .null
            case .array(var array):
                let index = try Self.existingIndex(token, in: array, at: parent, member: member)
                container = .null
                let removed = array.remove(at: index)
                container = .array(array)
                return removed
            default:
                throw Self.notAContainer(container, token: token, at: parent, member: member)
            }
        }
    }

    /// Replaces the value `pointer` names, which must exist.
    mutating func replace(at pointer: JSONPointer, with value: JSONValue, member: String) throws(JSONPatchError) {
        try withValue(at: pointer, depth: 0, member: member) { (target: inout JSONValue) in target = value }
    }

    /// Runs `body` on the existing value at `pointer`, in place. Each level drops its own reference
    /// before recursing so the child stays uniquely referenced and is not copied on write.
    private mutating func withValue<R>(
        at pointer: JSONPointer, depth: Int, member: String,
        _ body: (inout JSONValue) throws(JSONPatchError) -> R
    ) throws(JSONPatchError) -> R {
        guard depth < pointer.tokens.count else { return try body(&self) }
        let token = pointer.tokens[depth]
        let location = JSONPointer(tokens: Array(pointer.tokens.prefix(depth)))
        switch self {
        case .object(var object):
            guard var child = object[token] else { throw Self.noMember(token, at: location, member: member) }
            self = .null
            object[token] = .null
            defer {
                object[token] = child
                self = .object(object)
            }
            return try child.withValue(at: pointer, depth: depth + 1, member: member, body)
        case .array(var array):
            let index = try Self.existingIndex(token, in: array, at: location, member: member)
            var child = array[index]
            self = .null
            array[index] = .null
            defer {
                array[index] = child
                self = .array(array)
            }
            return try child.withValue(at: pointer, depth: depth + 1, member: member, body)
        default:
            throw Self.notAContainer(self, token: token, at: location, member: member)
        }
    }

    /// The index of an existing element: `-` and indices at or past the end name none.
    private static func existingIndex(
        _ token: String, in array: [JSONValue], at location: JSONPointer, member: String
    ) throws(JSONPatchError) -> Int {
        let at = JSONPatchError.location(location)
        if token == JSONPointer.endOfArray {
            throw failure(member, "\"-\" (past the end) names no existing element of array at \(at)")
        }
        guard let index = JSONPointer.arrayIndex(token) else { throw notAnIndex(token, at: location, member: member) }
        guard index < array.count else {
            throw failure(member, "index \(index) is out of range for array at \(at) (\(items(array.count)))")
        }
        return index
    }

    private static func noMember(_ token: String, at location: JSONPointer, member: String) -> JSONPatchError {
        failure(member, "no member \(JSONPointer.quoted(token)) in object at \(JSONPatchError.location(location))")
    }

    private static func notAnIndex(_ token: String, at location: JSONPointer, member: String) -> JSONPatchError {
        let rule = if !token.isEmpty, token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            token.hasPrefix("0") ? "leading zeros are not allowed" : "too large"
        } else {
            "expected digits or \"-\""
        }
        let at = JSONPatchError.location(location)
        return failure(member, "\(JSONPointer.quoted(token)) is not an index into array at \(at) (\(rule))")
    }

    private static func notAContainer(
        _ value: JSONValue, token: String, at location: JSONPointer, member: String
    ) -> JSONPatchError {
        let kind = JSONPatchError.kind(of: value)
        return failure(member, "cannot look up \(JSONPointer.quoted(token)) in \(kind) at \(JSONPatchError.location(location))")
    }

    private static func items(_ count: Int) -> String {
        count == 1 ? "1 item" : "\(count) items"
    }

    private static func failure(_ member: String, _ problem: String) -> JSONPatchError {
        JSONPatchError(.notFound(member: member, problem: problem))
    }
}
