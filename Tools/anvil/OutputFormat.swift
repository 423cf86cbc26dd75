import AnvilJSON
import AnvilResources
import ArgumentParser

/// `-o` values of `anvil get`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table = ""
    case wide
    case yaml
    case json
    case name

    init?(argument: String) {
        self.init(rawValue: argument)
        if argument.isEmpty { return nil }
    }
}

/// Secret values never leave the store through the CLI: each is replaced by its size, and a
/// Server's inline BMC password by a mask.
enum SecretRedaction {
    static func redact(_ resource: Resource) -> Resource {
        guard resource.kind == "Secret" else { return InlinePasswords.masked(resource) }
        var copy = resource
        if case .object(let data)? = copy.body["data"] {
            copy.body["data"] = .object(data.mapValues { value in
                let size = value.stringValue.map { ($0.count * 3) / 4 } ?? 0
                return .string("<redacted, about \(size) bytes>")
            })
        }
        copy.body["stringData"] = nil
        return copy
    }
}
