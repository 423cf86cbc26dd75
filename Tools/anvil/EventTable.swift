import AnvilStore

/// Events as kubectl prints them: LAST SEEN, TYPE, REASON, OBJECT, COUNT, MESSAGE.
enum EventTable {
    static func render<S: Sequence>(_ events: S, showObject: Bool) -> String where S.Element == AnvilStore.Event {
        let headers = showObject
            ? ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE"] : ["LAST SEEN", "TYPE", "REASON", "COUNT", "MESSAGE"]
        var table = TextTable(headers: headers)
        for event in events {
            var row = [Age.since(event.lastTimestamp), event.type.rawValue, event.reason, "\(event.count)", event.message]
            if showObject {
                let involved = event.involved
                let object = "\(involved.kind.lowercased())/\(involved.name)"
                row.insert(involved.namespace.isEmpty ? object : "\(involved.namespace)/\(object)", at: 3)
            }
            table.rows.append(row)
        }
        return table.render()
    }
}
