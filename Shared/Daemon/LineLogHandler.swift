import Foundation
import Logging

public enum LogFormat: String, Sendable {
    case logfmt
    case json
}

/// One line per event on stdout, tagged with the service name, as logfmt or JSON.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let service: String
    private let format: LogFormat

    public init(label: String, service: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.service = service
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.render(
            format: format, timestamp: Date(), level: event.level, service: service, message: "\(event.message)",
            metadata: merged)
        StandardStream.output.write(line + "\n")
    }

    static func render(
        format: LogFormat, timestamp: Date, level: Logger.Level, service: String, message: String,
        metadata: Logger.Metadata
    ) -> String {
        let ts = timestamp.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let fields = metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .logfmt:
            var parts = ["ts=\(ts)", "level=\(level.rawValue)", "service=\(service)", "msg=\(logfmtQuote(message))"]
            parts += fields.map { "\($0.0)=\(logfmtQuote($0.1))" }
            return parts.joined(separator: " ")
        case .json:
            var object: [String: String] = ["ts": ts, "level": level.rawValue, "service": service, "msg": message]
            for (key, value) in fields where object[key] == nil { object[key] = value }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    static func logfmtQuote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
