/// Environment checks: asset URLs must be fetchable over HTTP(S), or local files (`file:///…`,
/// for air-gapped sites and tests), and checksums well-formed, because Anvil downloads and
/// verifies them.
public enum EnvironmentRules {
    /// An asset URL Anvil can fetch: http(s) with a host, or `file:///…`, no whitespace.
    public static func isAssetURL(_ text: String) -> Bool {
        isHTTPURL(text) || isFileURL(text)
    }

    static func check(_ environment: Environment) throws {
        try checkAsset(url: environment.spec.kernel?.url, sha512: environment.spec.kernel?.sha512, field: "spec.kernel")
        try checkAsset(url: environment.spec.initrd?.url, sha512: environment.spec.initrd?.sha512, field: "spec.initrd")
    }

    private static func checkAsset(url: String?, sha512: String?, field: String) throws {
        if let url, !url.isEmpty, !isAssetURL(url) {
            throw ResourceError.invalid(field: "\(field).url", message: "\"\(url)\" is not an http://, https:// or file:/// URL")
        }
        if let sha512, !sha512.isEmpty, sha512.count != 128 || !sha512.allSatisfy(\.isHexDigit) {
            throw ResourceError.invalid(field: "\(field).sha512", message: "must be 128 hexadecimal digits")
        }
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return !host.isEmpty && !text.contains(where: \.isWhitespace)
        }
        return false
    }

    /// `file:///absolute/path` (no host part).
    private static func isFileURL(_ text: String) -> Bool {
        text.lowercased().hasPrefix("file:///") && text.count > "file:///".count && !text.contains(where: \.isWhitespace)
    }
}
