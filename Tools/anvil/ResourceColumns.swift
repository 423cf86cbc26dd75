import AnvilJSON
import AnvilResources

/// The columns `anvil get` shows per kind (Sidero's print columns where it has them).
enum ResourceColumns {
    static func table(for kind: ResourceKind, resources: [Resource], wide: Bool, allNamespaces: Bool) -> TextTable {
        let spec = columns(kind: kind, wide: wide)
        var headers = spec.map(\.header)
        if kind.namespaced && allNamespaces { headers.insert("NAMESPACE", at: 0) }
        var table = TextTable(headers: headers)
        for resource in resources {
            var row = spec.map { $0.value(resource) }
            if kind.namespaced && allNamespaces { row.insert(resource.namespace, at: 0) }
            table.rows.append(row)
        }
        return table
    }

    struct Column {
        let header: String
        let value: (Resource) -> String
    }

    static func columns(kind: ResourceKind, wide: Bool) -> [Column] {
        let name = Column(header: "NAME") { $0.name }
        let age = Column(header: "AGE") { Age.since($0.metadata.creationTimestamp) }
        switch kind.kind {
        case "Server":
            var columns = [
                name,
                Column(header: "HOSTNAME") { text($0.spec?["hostname"]) },
                Column(header: "BMC IP") { text($0.spec?["bmc"]?["endpoint"]) },
                Column(header: "ACCEPTED") { flag($0.spec?["accepted"]) },
                Column(header: "CORDONED") { flag($0.spec?["cordoned"]) },
                Column(header: "ALLOCATED") { flag($0.status?["inUse"]) },
                Column(header: "CLEAN") { flag($0.status?["isClean"]) },
                Column(header: "POWER") { text($0.status?["power"], empty: "unknown") },
                Column(header: "STATE") { (try? Server($0))?.lifecycleState ?? "" },
                age,
            ]
            if wide {
                columns.insert(Column(header: "READY") { flag($0.status?["ready"]) }, at: 9)
                columns.insert(Column(header: "ENVIRONMENT") { text($0.spec?["environmentRef"]?["name"]) }, at: 10)
            }
            return columns
        case "ServerClass":
            var columns = [
                name,
                Column(header: "AVAILABLE") { list($0.status?["serversAvailable"]) },
                Column(header: "IN USE") { list($0.status?["serversInUse"]) },
                age,
            ]
            if wide { columns.insert(Column(header: "ENVIRONMENT") { text($0.spec?["environmentRef"]?["name"]) }, at: 1) }
            return columns
        case "Environment":
            var columns = [
                name,
                Column(header: "KERNEL") { text($0.spec?["kernel"]?["url"]) },
                Column(header: "INITRD") { text($0.spec?["initrd"]?["url"]) },
                Column(header: "READY") { environmentReady($0) },
                age,
            ]
            if wide { columns.insert(Column(header: "ARGS") { words($0.spec?["kernel"]?["args"]) }, at: 3) }
            return columns
        case "MetalCluster":
            return [
                name,
                Column(header: "ENDPOINT") { endpoint($0.spec?["controlPlaneEndpoint"]) },
                Column(header: "READY") { flag($0.status?["ready"]) },
                age,
            ]
        case "MetalMachine":
            return [
                name,
                Column(header: "SERVER") { text($0.spec?["serverRef"]?["name"]) },
                Column(header: "CLASS") { text($0.spec?["serverClassRef"]?["name"]) },
                Column(header: "PROVIDER ID") { text($0.spec?["providerID"]) },
                Column(header: "READY") { flag($0.status?["ready"]) },
                age,
            ]
        case "MetalMachineTemplate":
            return [
                name,
                Column(header: "CLASS") { text($0.spec?["template"]?["spec"]?["serverClassRef"]?["name"]) },
                age,
            ]
        case "ServerBinding":
            return [
                name,
                Column(header: "MACHINE") { machine($0.spec?["metalMachineRef"]) },
                Column(header: "CLASS") { text($0.spec?["serverClassRef"]?["name"]) },
                Column(header: "READY") { flag($0.status?["ready"]) },
                age,
            ]
        case "Secret":
            // Values are never printed; only how many keys there are.
            return [
                name,
                Column(header: "TYPE") { text($0.body["type"], empty: "Opaque") },
                Column(header: "DATA") { "\($0.body["data"]?.objectValue?.count ?? 0)" },
                age,
            ]
        default:
            return [name, age]
        }
    }

    static func text(_ value: JSONValue?, empty: String = "") -> String {
        switch value {
        case .string(let text)?: return text.isEmpty ? empty : text
        case .int(let number)?: return "\(number)"
        case .bool(let flag)?: return "\(flag)"
        default: return empty
        }
    }

    static func flag(_ value: JSONValue?) -> String { value?.boolValue == true ? "true" : "false" }

    static func list(_ value: JSONValue?) -> String {
        let items = (value?.arrayValue ?? []).compactMap(\.stringValue)
        return items.isEmpty ? "" : items.joined(separator: ",")
    }

    static func words(_ value: JSONValue?) -> String {
        (value?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ")
    }

    static func endpoint(_ value: JSONValue?) -> String {
        guard let host = value?["host"]?.stringValue, !host.isEmpty else { return "" }
        return value?["port"]?.intValue.map { "\(host):\($0)" } ?? host
    }

    static func machine(_ value: JSONValue?) -> String {
        guard let name = value?["name"]?.stringValue else { return "" }
        return value?["namespace"]?.stringValue.map { "\($0)/\(name)" } ?? name
    }

    static func environmentReady(_ resource: Resource) -> String {
        let conditions = resource.status?["conditions"]?.arrayValue ?? []
        let urls = [resource.spec?["kernel"]?["url"]?.stringValue, resource.spec?["initrd"]?["url"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }
        let ready = urls.allSatisfy { url in
            conditions.contains { $0["url"]?.stringValue == url && $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
        }
        return ready ? "true" : "false"
    }
}
