import Foundation
import AnvilJSON

/// The words a Redfish service gives with an error (DSP0266 §9.5.2.2): the messages of
/// `error.@Message.ExtendedInfo`, else `error.message`.
enum RedfishErrorMessage {
    static func from(_ body: JSONValue?) -> String? {
        guard let error = body?["error"] else { return nil }
        let extended = (error["@Message.ExtendedInfo"]?.arrayValue ?? []).compactMap { info -> String? in
            guard let message = info["Message"]?.stringValue, !message.isEmpty else { return nil }
            return message
        }
        if !extended.isEmpty { return extended.joined(separator: "; ") }
        if let message = error["message"]?.stringValue, !message.isEmpty { return message }
        return nil
    }

    /// "POST https://…/Sessions answered HTTP 401 Unauthorized: <the BMC's message>".
    static func describe(request: String, reply: HTTPReply, body: JSONValue?) -> String {
        let said = from(body) ?? plainText(reply)
        return "\(request) answered \(reply.statusLine)" + (said.map { ": \($0)" } ?? "")
    }

    private static func plainText(_ reply: HTTPReply) -> String? {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(200))
    }
}
