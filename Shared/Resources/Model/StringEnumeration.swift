/// A closed set of string values whose decoding error lists every allowed value,
/// e.g. `"explode" is not one of ipxe-exit, http-404, ipxe-sanboot`.
public protocol StringEnumeration: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue == String {}

extension StringEnumeration {
    /// "a, b, c" in declaration order, for error messages.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(raw)\" is not one of \(Self.allowedValues)")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
