/// Transfer mode of a request (RFC 1350 §5). Mode names are case-insensitive; "mail" is obsolete
/// and refused like any other unknown mode.
public enum TFTPMode: String, Sendable, CaseIterable {
    /// Bytes as they are.
    case octet
    /// Network ASCII: LF → CR LF, CR → CR NUL (RFC 1350 appendix, RFC 764).
    case netascii

    /// Parses a mode name sent by a client, ignoring case.
    public init?(wireName: String) {
        self.init(rawValue: wireName.lowercased())
    }
}
