import AnvilStore

/// Events as kubectl prints them: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (COUNT when repeated).
enum EventTable {
    static func render<S: Sequence>(_ events: S, showObject: Bool) -> String where S.Element == StoreEvent {
        var table = TextTable(headers: showObject ? ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"] : ["LAST SEEN", "TYPE", "REASON", "COUNT", "MESSAGE"])
        for event in events {
            var row = [Age.since(event.lastTimestamp), event.type, event.reason, "\(event.count)", event.message]
            if showObject {
                let object = "\(event.involvedKind.lowercased())/\(event.involvedName)"
                row.insert(event.involvedNamespace.isEmpty ? object : "\(event.involvedNamespace)/\(object)", at: 3)
            }
            table.rows.append(row)
        }
        return table.render()
    }
}
