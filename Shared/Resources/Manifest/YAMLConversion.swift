import AnvilJSON
import Yams

/// One composed YAML document → JSON, counting the nodes that aliases expand to. Yams resolves
/// an alias to the anchored node itself (shared, not copied), so a few bytes can name 10^9
/// nodes; converting them is what would run for minutes, hence the budget.
struct YAMLConversion {
    let document: Int
    /// Anchors already met in document order: meeting one again is an alias expansion.
    private var anchorsSeen: Set<String> = []
    /// > 0 while converting the inside of an alias.
    private var aliasDepth = 0
    private var expandedNodes = 0

    init(document: Int) {
        self.document = document
    }

    mutating func json(_ node: Node) throws -> JSONValue {
        var enteredAlias = false
        if let anchor = node.anchor?.rawValue {
            if anchorsSeen.contains(anchor) {
                aliasDepth += 1
                enteredAlias = true
            } else {
                anchorsSeen.insert(anchor)
            }
        }
        defer { if enteredAlias { aliasDepth -= 1 } }
        if aliasDepth > 0 {
            expandedNodes += 1
            if expandedNodes > ManifestLimits.maximumAliasExpandedNodes {
                throw ResourceError.unparsable(
                    "document \(document): aliases expand to more than \(ManifestLimits.maximumAliasExpandedNodes) nodes "
                        + "(the limit; an alias bomb?)")
            }
        }
        switch node {
        case .scalar(let scalar):
            return YAMLReader.scalarValue(scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try json(item)) }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ResourceError.unparsable("\(key.mark.map { "\($0): " } ?? "")mapping keys must be scalars")
                }
                object[keyScalar.string] = try json(value)
            }
            return .object(object)
        case .alias(let alias):
            throw ResourceError.unparsable("\(alias.mark.map { "\($0): " } ?? "")unresolved alias")
        }
    }
}
