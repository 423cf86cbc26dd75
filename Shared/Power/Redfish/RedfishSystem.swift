import AnvilJSON

/// What the back-end needs from one ComputerSystem resource.
struct RedfishSystem: Sendable {
    let link: String
    let json: JSONValue
    /// For `If-Match` on the boot override PATCH.
    let etag: String?

    init(link: String, reply: RedfishReply, request: String) throws(PowerError) {
        self.init(link: link, json: try reply.object(request), etag: reply.etag)
    }

    init(link: String, json: JSONValue, etag: String?) {
        self.link = link
        self.json = json
        self.etag = etag
    }

    var powerStateText: String? { json["PowerState"]?.stringValue }

    /// On unless Off or still PoweringOn; a system PoweringOff still runs.
    func isPoweredOn() throws(PowerError) -> Bool {
        switch powerStateText {
        case "On", "PoweringOff", "Paused": return true
        case "Off", "PoweringOn": return false
        case let other?: throw .protocolError("system \(link) has an unknown PowerState \"\(other)\"")
        case nil: throw .protocolError("system \(link) reports no PowerState")
        }
    }

    private var resetAction: JSONValue? { json["Actions"]?["#ComputerSystem.Reset"] }

    /// Where to POST `ComputerSystem.Reset`.
    func resetTarget() throws(PowerError) -> String {
        guard let target = resetAction?["target"]?.stringValue, !target.isEmpty else {
            throw .notSupported("system \(link) offers no #ComputerSystem.Reset action")
        }
        return target
    }

    /// The reset types listed with the action itself; nil when it lists none.
    var inlineResetTypes: [String]? {
        resetAction?["ResetType@Redfish.AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }

    /// The ActionInfo resource that lists the reset types instead, if any.
    var resetActionInfoLink: String? { resetAction?["@Redfish.ActionInfo"]?.stringValue }

    /// `ResetType` allowable values from an ActionInfo resource's `Parameters`.
    static func resetTypes(fromActionInfo info: JSONValue) -> [String]? {
        let parameter = info["Parameters"]?.arrayValue?.first { $0["Name"]?.stringValue == "ResetType" }
        return parameter?["AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }

    private var boot: JSONValue? { json["Boot"] }

    /// Whether the system has a boot mode to set at all (many legacy-only BMCs do not).
    var hasBootOverrideMode: Bool { boot?["BootSourceOverrideMode"] != nil }

    var allowedBootTargets: [String]? {
        boot?["BootSourceOverrideTarget@Redfish.AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }

    var allowedBootModes: [String]? {
        boot?["BootSourceOverrideMode@Redfish.AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }

    /// The descriptive facts for `bmc.info`, absent ones left out.
    var facts: [String: String] {
        var facts: [String: String] = [:]
        let fields = [
            ("manufacturer", "Manufacturer"), ("model", "Model"), ("serialNumber", "SerialNumber"),
            ("powerState", "PowerState"), ("biosVersion", "BiosVersion"), ("systemId", "Id"),
        ]
        for (key, field) in fields {
            if let value = json[field]?.stringValue, !value.isEmpty { facts[key] = value }
        }
        return facts
    }
}
