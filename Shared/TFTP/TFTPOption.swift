/// One option name/value pair of an RRQ, WRQ or OACK (RFC 2347 §"Packet Formats").
///
/// Names keep the client's spelling; compare them with ``normalizedName`` (names are
/// case-insensitive).
public struct TFTPOption: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The name in lower case, as options are matched.
    public var normalizedName: String { name.lowercased() }
}
