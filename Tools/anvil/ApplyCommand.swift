import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// `anvil apply -f FILE|-`: create or update every object in a manifest; all documents are validated
/// before anything is written, so a bad file changes nothing.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Create or update objects from a YAML/JSON manifest (several documents allowed).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: "Manifest file, or - for standard input.")
    var filename: String

    @Flag(name: .customLong("skip-unknown"), help: "Report and skip kinds Anvil does not serve instead of failing.")
    var skipUnknown = false

    func run() async throws {
        try await runCLI {
            let text = try ManifestInput.read(filename)
            let documents: [Resource]
            do {
                documents = try Manifest.parse(text)
            } catch {
                throw CLIError("\(filename): \(describe(error))")
            }
            var valid: [Resource] = []
            for (index, document) in documents.enumerated() {
                let label = "\(filename): document \(index + 1) (\(document.kind.lowercased())/\(document.name))"
                do {
                    valid.append(try ResourceValidator.validate(document))
                } catch ResourceError.unknownKind(let apiVersion, let kind) where skipUnknown {
                    out("\(kind.lowercased())/\(document.name) skipped: kind \(kind) (\(apiVersion)) is not served by Anvil")
                } catch {
                    throw CLIError("\(label): \(describe(error))")
                }
            }
            InlinePasswordWarning.print(for: valid)
            if valid.isEmpty {
                if documents.isEmpty { throw CLIError("\(filename): no objects found") }
                return
            }
            try await global.withWritableStore { store in
                for resource in valid {
                    out(try await apply(resource, store: store))
                }
            }
        }
    }

    private func apply(_ resource: Resource, store: Store) async throws -> String {
        let kindName = resource.kind.lowercased()
        let label = "\(kindName)/\(resource.name)"
        for _ in 0..<5 {
            if let stored = try await store.find(kind: resource.kind, namespace: resource.namespace, name: resource.name) {
                let merged = ApplyMerge.merge(manifest: resource, stored: stored)
                do {
                    let updated = try await store.update(merged)
                    return updated.metadata.resourceVersion == stored.metadata.resourceVersion
                        ? "\(label) unchanged" : "\(label) configured"
                } catch let error as StoreError {
                    if case .conflict = error { continue }
                    throw error
                }
            } else {
                do {
                    _ = try await store.create(ApplyMerge.annotateForCreate(resource))
                    return "\(label) created"
                } catch let error as StoreError {
                    if case .alreadyExists = error { continue }
                    throw error
                }
            }
        }
        throw CLIError("\(label): kept changing while being applied; try again")
    }
}
