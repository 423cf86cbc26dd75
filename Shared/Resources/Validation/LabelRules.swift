/// Label maps and selectors, checked like Kubernetes does.
enum LabelRules {
    static func checkLabels(_ labels: [String: String]?, field: String) throws {
        for key in (labels ?? [:]).keys.sorted() {
            try checkKey(key, field: field)
            try checkValue(labels![key]!, key: key, field: field)
        }
    }

    static func checkKey(_ key: String, field: String) throws {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].utf8.count > NameRules.maximumNameLength {
            throw ResourceError.invalid(
                field: field,
                message: "invalid key \"\(key.prefix(80))…\": prefix is \(parts[0].utf8.count) characters; at most \(NameRules.maximumNameLength) are accepted")
        }
        if let name = parts.last, parts.count <= 2, name.utf8.count > NameRules.maximumLabelLength {
            throw ResourceError.invalid(
                field: field,
                message: "invalid key \"\(key.prefix(80))…\": name part is \(name.utf8.count) characters; at most \(NameRules.maximumLabelLength) are accepted")
        }
        guard NameRules.isQualifiedName(key) else {
            throw ResourceError.invalid(
                field: field,
                message: "invalid key \"\(key)\": a key is an optional DNS subdomain prefix and '/', then a name that \(NameRules.labelNameMessage)")
        }
    }

    static func checkValue(_ value: String, key: String, field: String) throws {
        guard value.utf8.count <= NameRules.maximumLabelLength else {
            throw ResourceError.invalid(
                field: field,
                message: "value for key \"\(key)\" is \(value.utf8.count) characters; at most \(NameRules.maximumLabelLength) are accepted")
        }
        guard NameRules.isLabelValue(value) else {
            throw ResourceError.invalid(
                field: field, message: "invalid value \"\(value)\" for key \"\(key)\": \(NameRules.labelNameMessage)")
        }
    }

    /// matchLabels like labels; In/NotIn need values, Exists/DoesNotExist must have none.
    static func checkSelector(_ selector: LabelSelector?, field: String) throws {
        guard let selector else { return }
        try checkLabels(selector.matchLabels, field: "\(field).matchLabels")
        for (index, requirement) in (selector.matchExpressions ?? []).enumerated() {
            let path = "\(field).matchExpressions[\(index)]"
            try checkKey(requirement.key, field: "\(path).key")
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in, .notIn:
                guard !values.isEmpty else {
                    throw ResourceError.invalid(
                        field: "\(path).values", message: "required for operator \(requirement.operator.rawValue)")
                }
            case .exists, .doesNotExist:
                guard values.isEmpty else {
                    throw ResourceError.invalid(
                        field: "\(path).values", message: "must be empty for operator \(requirement.operator.rawValue)")
                }
            }
            for value in values {
                try checkValue(value, key: requirement.key, field: "\(path).values")
            }
        }
    }
}
