import AnvilJSON
import Yams

/// JSON trees → readable YAML: envelope fields first (apiVersion, kind, metadata, spec, status),
/// metadata in kubectl's order, everything else sorted; strings that another YAML reader could
/// take for a number, boolean, null or date are quoted.
enum YAMLWriter {
    static let topLevelOrder = ["apiVersion", "kind", "metadata", "spec", "status", "type", "immutable", "data", "stringData"]
    static let metadataOrder = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "labels", "annotations", "finalizers", "ownerReferences",
    ]

    static func document(_ json: JSONValue) -> String {
        let node = self.node(json, order: topLevelOrder, path: [])
        return (try? Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)) ?? json.jsonString() + "\n"
    }

    private static func node(_ value: JSONValue, order: [String], path: [String]) -> Node {
        switch value {
        case .null: return Node("null", .implicit, .plain)
        case .bool(let flag): return Node(flag ? "true" : "false", .implicit, .plain)
        case .int(let number): return Node(String(number), .implicit, .plain)
        case .double(let number): return Node(formatted(number), .implicit, .plain)
        case .string(let text): return string(text)
        case .array(let items):
            return .sequence(.init(items.map { node($0, order: [], path: path) }, .implicit, .block))
        case .object(let object):
            let keys = object.keys.sorted { lhs, rhs in
                let (left, right) = (order.firstIndex(of: lhs) ?? order.count, order.firstIndex(of: rhs) ?? order.count)
                return left != right ? left < right : lhs < rhs
            }
            let pairs = keys.map { key -> (Node, Node) in
                let childOrder = path.isEmpty && key == "metadata" ? metadataOrder : []
                return (string(key), node(object[key]!, order: childOrder, path: path + [key]))
            }
            return .mapping(.init(pairs, .implicit, .block))
        }
    }

    private static func string(_ text: String) -> Node {
        if text.contains("\n") {
            return Node(text, Tag(.str), .literal)
        }
        let ambiguous = Resolver.default.resolveTag(of: Node(text, .implicit, .plain)) != .str
            || YAMLReader.plain(text) != .string(text)
        return Node(text, Tag(.str), ambiguous ? .doubleQuoted : .any)
    }

    private static func formatted(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(format: "%.1f", number) : "\(number)"
    }
}
