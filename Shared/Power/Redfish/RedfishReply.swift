import AnvilJSON
import NIOHTTP1

/// A successful Redfish answer: its JSON body (nil when empty) and the headers that matter.
struct RedfishReply: Sendable {
    let http: HTTPReply
    let json: JSONValue?

    /// The resource's ETag, from the header or else from `@odata.etag`, for `If-Match`.
    var etag: String? {
        if let header = http.headers.first(name: "ETag"), !header.isEmpty { return header }
        return json?["@odata.etag"]?.stringValue
    }

    /// Parses the body; an answer that is not JSON is a protocol error.
    init(_ http: HTTPReply, request: String) throws(PowerError) {
        self.http = http
        guard http.body.readableBytes > 0 else {
            json = nil
            return
        }
        do {
            json = try JSONParser.parse(http.text)
        } catch {
            throw .protocolError("\(request): the answer is not JSON: \(error)")
        }
    }

    /// The body, required: an action or resource read that came back empty is a protocol error.
    func object(_ request: String) throws(PowerError) -> JSONValue {
        guard let json, json.objectValue != nil else {
            throw .protocolError("\(request): expected a JSON object, got \(json?.jsonString() ?? "nothing")")
        }
        return json
    }
}
