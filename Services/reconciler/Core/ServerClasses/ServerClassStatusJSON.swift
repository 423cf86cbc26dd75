import AnvilJSON
import AnvilResources

/// ServerClass status ⇄ its JSON, directly (a class's status can name thousands of servers, and
/// this runs on every write and every echo of one).
enum ServerClassStatusJSON {
    static func encode(_ status: ServerClassStatus) -> JSONValue {
        .object([
            "serversAvailable": .array(status.serversAvailable.map(JSONValue.string)),
            "serversInUse": .array(status.serversInUse.map(JSONValue.string)),
        ])
    }

    /// The stored status; absent lists (or an absent status) read as empty, as in the model.
    static func decode(_ json: JSONValue?) -> ServerClassStatus {
        func names(_ key: String) -> [String] {
            json?[key]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        return ServerClassStatus(serversAvailable: names("serversAvailable"), serversInUse: names("serversInUse"))
    }
}
