/// Kubernetes name and label syntax (apimachinery validation), and Anvil's UUID names.
enum NameRules {
    /// metadata.name and label/annotation key prefixes: a DNS-1123 subdomain's length.
    static let maximumNameLength = 253
    /// Label values and the name part of label/annotation keys.
    static let maximumLabelLength = 63
    static let dns1123SubdomainMessage =
        "must be a lowercase DNS-1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit"
    static let dns1123LabelMessage =
        "must be a lowercase DNS-1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit"
    static let uuidMessage = "must be a UUID (8-4-4-4-12 hexadecimal digits)"
    static let labelNameMessage =
        "must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"

    static func isDNS1123Label(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        guard !chars.isEmpty, chars.count <= 63, isLowerAlnum(chars.first!), isLowerAlnum(chars.last!) else {
            return false
        }
        return chars.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDNS1123Subdomain(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            let chars = Array(part.utf8)
            guard let first = chars.first, let last = chars.last else { return false }
            return isLowerAlnum(first) && isLowerAlnum(last)
                && chars.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// 8-4-4-4-12 hex digits, any case (SMBIOS UUIDs are often upper-case).
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// A label/annotation key: `[prefix/]name`, prefix a DNS-1123 subdomain.
    static func isQualifiedName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isLabelName(String(parts[0]))
        case 2: return isDNS1123Subdomain(String(parts[0])) && isLabelName(String(parts[1]))
        default: return false
        }
    }

    /// A label value: empty, or a label name.
    static func isLabelValue(_ text: String) -> Bool {
        text.isEmpty || isLabelName(text)
    }

    private static func isLabelName(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        guard let first = chars.first, let last = chars.last, chars.count <= 63, isAlnum(first), isAlnum(last) else {
            return false
        }
        return chars.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
