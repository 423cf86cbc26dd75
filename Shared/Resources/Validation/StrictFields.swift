import AnvilJSON

/// Strict field checking, kubectl `--validate=strict` style: decode the input into its model,
/// encode the model again, and any non-null input key the model did not keep is unknown.
/// Fields holding arbitrary JSON (patch values, labels, Secret data) re-encode identically,
/// so they pass untouched.
enum StrictFields {
    /// Decodes `T` from `input` and returns it with `input` minus its null fields.
    static func check<T: Codable>(_ type: T.Type, _ input: JSONValue, prefix: String) throws -> (T, JSONValue) {
        let value = try TypedResourceCoding.decode(T.self, from: input, prefix: prefix)
        let encoded = TypedResourceCoding.encode(value)
        return (value, try normalise(input, against: encoded, path: prefix))
    }

    /// Walks the input beside the model's encoding; throws `<path>: unknown field`.
    static func normalise(_ input: JSONValue, against encoded: JSONValue, path: String) throws -> JSONValue {
        switch (input, encoded) {
        case (.object(let given), .object(let known)):
            var kept: [String: JSONValue] = [:]
            for (key, value) in given {
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let model = known[key] else {
                    if value.isNull { continue }
                    throw ResourceError.invalid(field: field, message: "unknown field")
                }
                if value.isNull && !model.isNull { continue }
                kept[key] = try normalise(value, against: model, path: field)
            }
            return .object(kept)
        case (.array(let given), .array(let known)) where given.count == known.count:
            var kept: [JSONValue] = []
            for (index, pair) in zip(given, known).enumerated() {
                kept.append(try normalise(pair.0, against: pair.1, path: "\(path)[\(index)]"))
            }
            return .array(kept)
        default:
            // Scalars take the model's form (e.g. 2400.0 read as the integer 2400).
            return encoded
        }
    }
}
