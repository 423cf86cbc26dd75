import AnvilDaemon
import AnvilResources
import Foundation

/// `anvil apply`'s one-line warning when a manifest carries inline BMC passwords: they work
/// (Sidero allows them) but sit in the store unencrypted, where a Secret would not.
enum InlinePasswordWarning {
    static func text(for resources: [Resource]) -> String? {
        let found = resources.flatMap { resource in
            InlinePasswords.present(in: resource).map { "server/\(resource.name) \($0)" }
        }
        guard !found.isEmpty else { return nil }
        let shown = found.prefix(3).joined(separator: ", ") + (found.count > 3 ? " and \(found.count - 3) more" : "")
        return "warning: inline BMC password in \(shown): it is stored unencrypted; "
            + "use passFrom.secretKeyRef (a Secret, stored encrypted) instead"
    }

    static func print(for resources: [Resource]) {
        guard let text = text(for: resources) else { return }
        StandardStream.error.write(text + "\n")
    }
}
