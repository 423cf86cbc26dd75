import AnvilJSON

/// Picks the system to drive from `/redfish/v1/Systems`: the configured one, or the only one.
enum RedfishSystemLocator {
    static let collectionPath = "/redfish/v1/Systems"

    /// The member links (`@odata.id`) of a collection.
    static func members(of collection: JSONValue) -> [String] {
        (collection["Members"]?.arrayValue ?? []).compactMap { $0["@odata.id"]?.stringValue }
    }

    /// A member's id: the last segment of its link.
    static func id(of link: String) -> String {
        let trimmed = link.hasSuffix("/") ? String(link.dropLast()) : link
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    static func choose(from links: [String], systemId: String?) throws(PowerError) -> String {
        let ids = links.map(id(of:))
        let listed = ids.isEmpty ? "none" : ids.joined(separator: ", ")
        if let systemId, !systemId.isEmpty {
            guard let index = ids.firstIndex(of: systemId) else {
                throw .invalidConfiguration("Redfish system \"\(systemId)\" is not on this BMC; it has: \(listed)")
            }
            return links[index]
        }
        switch links.count {
        case 0: throw .protocolError("the BMC lists no systems under \(collectionPath)")
        case 1: return links[0]
        default:
            throw .invalidConfiguration("the BMC has several systems (\(listed)); set systemId to one of them")
        }
    }
}
