/// `-l` syntax (kubectl): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated.
extension LabelSelector {
    public init(parsing text: String) throws {
        self.init()
        for term in Self.terms(text) {
            try add(term: term)
        }
    }

    private mutating func add(term: String) throws {
        func fail(_ why: String) -> ResourceError {
            .invalid(field: "selector", message: "invalid term \"\(term)\": \(why)")
        }
        func key(_ raw: Substring) throws -> String {
            let key = raw.trimmingCharacters(in: .whitespaces)
            guard NameRules.isQualifiedName(key) else { throw fail("\"\(key)\" is not a valid label key") }
            return key
        }
        func value(_ raw: Substring) throws -> String {
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard NameRules.isLabelValue(value) else { throw fail("\"\(value)\" is not a valid label value") }
            return value
        }
        func expression(_ key: String, _ op: Requirement.Operator, _ values: [String]? = nil) {
            matchExpressions = (matchExpressions ?? []) + [Requirement(key: key, operator: op, values: values)]
        }

        if term.hasPrefix("!") {
            guard !term.contains("=") else { throw fail("\"!\" takes a bare key") }
            expression(try key(term.dropFirst()), .doesNotExist)
        } else if let range = term.range(of: "!=") {
            expression(try key(term[..<range.lowerBound]), .notIn, [try value(term[range.upperBound...])])
        } else if let range = term.range(of: "==") ?? term.range(of: "=") {
            let (k, v) = (try key(term[..<range.lowerBound]), try value(term[range.upperBound...]))
            if matchLabels?[k] == nil {
                matchLabels = (matchLabels ?? [:]).merging([k: v]) { $1 }
            } else {
                expression(k, .in, [v])
            }
        } else if let set = Self.setTerm(term) {
            guard set.op == "in" || set.op == "notin" else { throw fail("expected \"in\" or \"notin\", got \"\(set.op)\"") }
            guard let list = set.list else { throw fail("values must be in parentheses, e.g. (a,b)") }
            let values = try list.split(separator: ",", omittingEmptySubsequences: false).map(value)
            guard !values.isEmpty, !(values.count == 1 && values[0].isEmpty) else { throw fail("needs at least one value") }
            expression(try key(Substring(set.key)), set.op == "in" ? .in : .notIn, values)
        } else {
            expression(try key(Substring(term)), .exists)
        }
    }

    /// Splits on commas outside parentheses; blank terms are dropped.
    private static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for char in text {
            switch char {
            case "(": depth += 1; current.append(char)
            case ")": depth -= 1; current.append(char)
            case "," where depth <= 0:
                terms.append(current)
                current = ""
            default: current.append(char)
            }
        }
        terms.append(current)
        return terms.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `key op (list)` → its parts; `list` is nil when the parentheses are missing.
    private static func setTerm(_ term: String) -> (key: String, op: String, list: Substring?)? {
        let words = term.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { return nil }
        let op = String(words[1]).lowercased()
        let rest = words.count == 3 ? words[2].trimmingCharacters(in: .whitespaces) : ""
        guard rest.hasPrefix("("), rest.hasSuffix(")") else { return (String(words[0]), op, nil) }
        return (String(words[0]), op, Substring(rest.dropFirst().dropLast()))
    }
}
