import AnvilJSON

extension JSONValue {
    /// Equality of the JSON values, as JSON Patch `test` defines it (RFC 6902 §4.6): numbers by
    /// value, so `.int(1)` equals `.double(1.0)` where the synthesized `==` says they differ.
    public func isJSONEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let left), .int(let right)): return left == right
        case (.double(let left), .double(let right)): return left == right
        // Exact conversion: going through Double would call 2^53 + 1 equal to 2^53.
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Int64(exactly: right) == left
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isJSONEqual(to: $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { key, value in
                right[key].map(value.isJSONEqual(to:)) ?? false
            }
        default:
            return self == other
        }
    }
}
