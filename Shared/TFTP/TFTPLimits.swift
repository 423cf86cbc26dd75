/// Bounds applied while decoding, so no parsed field is unbounded (CVE-2011-2199, CVE-2009-2957 class).
public enum TFTPLimits {
    /// Longest filename accepted in a request, in bytes.
    public static let maximumFilenameLength = 255
    /// Most options accepted in one RRQ, WRQ or OACK.
    public static let maximumOptionCount = 16
    /// Longest option name or value accepted, in bytes.
    public static let maximumOptionFieldLength = 255
    /// Largest DATA payload any negotiation can produce (RFC 2348).
    public static let maximumBlockSize = 65464
}
