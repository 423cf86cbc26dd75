import Yams

/// Checks shared by several kinds: patches, references, conditions, ports.
enum CommonRules {
    static func checkConfigPatches(_ patches: [ConfigPatch]?, field: String) throws {
        for (index, patch) in (patches ?? []).enumerated() {
            let path = "\(field)[\(index)]"
            try checkPointer(patch.path, field: "\(path).path")
            switch patch.op {
            case .add, .replace, .test:
                // Pattern match: JSONValue is ExpressibleByNilLiteral, so `!= nil` would compare with `.null`.
                guard case .some = patch.value else {
                    throw ResourceError.invalid(field: "\(path).value", message: "required for op \"\(patch.op.rawValue)\"")
                }
            case .move, .copy:
                guard let from = patch.from else {
                    throw ResourceError.invalid(field: "\(path).from", message: "required for op \"\(patch.op.rawValue)\"")
                }
                try checkPointer(from, field: "\(path).from")
            case .remove:
                break
            }
        }
    }

    /// RFC 6901: "/"-separated tokens, "~" only as "~0" or "~1".
    static func checkPointer(_ pointer: String, field: String) throws {
        guard pointer.hasPrefix("/") else {
            throw ResourceError.invalid(field: field, message: "\"\(pointer)\" is not a JSON Pointer (must start with \"/\")")
        }
        let chars = Array(pointer)
        for (index, char) in chars.enumerated() where char == "~" {
            guard index + 1 < chars.count, chars[index + 1] == "0" || chars[index + 1] == "1" else {
                throw ResourceError.invalid(field: field, message: "\"\(pointer)\" is not a JSON Pointer (\"~\" must be followed by 0 or 1)")
            }
        }
    }

    /// Talos strategic patches are YAML documents; refuse text that is not YAML at all.
    static func checkStrategicPatches(_ patches: [String]?, field: String) throws {
        for (index, patch) in (patches ?? []).enumerated() {
            do {
                var documents = try Yams.compose_all(yaml: patch, Resolver.basic)
                while documents.next() != nil {}
                if let error = documents.error { throw error }
            } catch {
                throw ResourceError.invalid(field: "\(field)[\(index)]", message: "not valid YAML: \(firstLine(of: error))")
            }
        }
    }

    /// A reference must at least name its object.
    static func checkReference(_ reference: ObjectReference?, field: String) throws {
        guard let reference else { return }
        guard let name = reference.name, !name.isEmpty else {
            throw ResourceError.invalid(field: "\(field).name", message: "required")
        }
    }

    static func checkPort(_ port: Int?, field: String) throws {
        guard let port else { return }
        guard (0...65535).contains(port) else {
            throw ResourceError.invalid(field: field, message: "\(port) is not between 0 and 65535")
        }
    }

    static func checkConditions(_ conditions: [Condition]?, field: String) throws {
        for (index, condition) in (conditions ?? []).enumerated() {
            let path = "\(field)[\(index)]"
            guard !condition.type.isEmpty else {
                throw ResourceError.invalid(field: "\(path).type", message: "required")
            }
            try checkOneOf(condition.status, Condition.statusValues, field: "\(path).status")
            if let severity = condition.severity {
                try checkOneOf(severity, Condition.severityValues, field: "\(path).severity")
            }
        }
    }

    static func checkOneOf(_ value: String, _ allowed: [String], field: String) throws {
        guard allowed.contains(value) else {
            let list = allowed.filter { !$0.isEmpty }.joined(separator: ", ")
            throw ResourceError.invalid(field: field, message: "\"\(value)\" is not one of \(list)")
        }
    }

    static func firstLine(of error: Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}
