import AnvilJSON

/// The body of `GET /status`: `{"PoweredOn": true}`.
enum ManagementAPIStatus {
    static func poweredOn(from reply: HTTPReply, url: String) throws(PowerError) -> Bool {
        let value: JSONValue
        do {
            value = try JSONParser.parse(reply.text)
        } catch {
            throw .protocolError("GET \(url): the answer is not JSON: \(error)")
        }
        guard let poweredOn = value["PoweredOn"]?.boolValue else {
            throw .protocolError("GET \(url): the answer has no boolean \"PoweredOn\": \(value.jsonString())")
        }
        return poweredOn
    }
}
