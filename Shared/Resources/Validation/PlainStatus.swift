import AnvilJSON

/// A status whose JSON can be checked by hand: strict checking decodes and re-encodes a body
/// through Foundation's JSON coders, which is most of the cost of writing a ServerClass status
/// listing thousands of servers. A plain status is taken as it is; anything else falls back to
/// the strict path (and its error messages).
protocol PlainStatus {
    /// The status, when `json` is exactly its plain shape; nil to use the strict path.
    static func plain(_ json: JSONValue) -> Self?
}

extension ServerClassStatus: PlainStatus {
    /// `{serversAvailable: [string], serversInUse: [string]}`, either list may be absent.
    static func plain(_ json: JSONValue) -> ServerClassStatus? {
        guard case .object(let fields) = json, fields.keys.allSatisfy({ $0 == "serversAvailable" || $0 == "serversInUse" }) else {
            return nil
        }
        func names(_ key: String) -> [String]? {
            guard let value = fields[key] else { return [] }
            guard case .array(let items) = value else { return nil }
            var names: [String] = []
            names.reserveCapacity(items.count)
            for item in items {
                guard case .string(let name) = item else { return nil }
                names.append(name)
            }
            return names
        }
        guard let available = names("serversAvailable"), let inUse = names("serversInUse") else { return nil }
        return ServerClassStatus(serversAvailable: available, serversInUse: inUse)
    }
}
