/// An SMBIOS specification version as the entry point states it, e.g. 2.8 or 3.0.0.
public struct SMBIOSVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    /// The document revision: only 3.x entry points carry it; 0 otherwise.
    public var docrev: Int

    public init(major: Int, minor: Int, docrev: Int = 0) {
        self.major = major
        self.minor = minor
        self.docrev = docrev
    }

    /// The version assumed for a table read without an entry point.
    ///
    /// Every version-dependent rule we apply (only the UUID byte order, little-endian
    /// since 2.6) is the same for all versions from 2.6 on, and firmware of the last
    /// fifteen years is at least 2.6; so 3.0 is the safe guess.
    public static let assumedWithoutEntryPoint = SMBIOSVersion(major: 3, minor: 0)

    public static func < (lhs: SMBIOSVersion, rhs: SMBIOSVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.docrev) < (rhs.major, rhs.minor, rhs.docrev)
    }

    /// "2.8" for 2.x, "3.0.0" for 3.x (as dmidecode prints "SMBIOS … present").
    public var description: String {
        major >= 3 ? "\(major).\(minor).\(docrev)" : "\(major).\(minor)"
    }
}
