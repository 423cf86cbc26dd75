import AnvilResources
import AnvilStore
import ArgumentParser

/// `anvil scale metalmachinetemplate NAME --replicas N`: what a Cluster API MachineDeployment
/// does for Sidero, done by the operator (README "reconciler: the server lifecycle"). The template's machines are named
/// `<template>-<n>`, n from 0, each owned by the template (deleting the template deletes them);
/// scaling up creates the missing ones from the template's spec, scaling down deletes the
/// highest-numbered first (a bound machine releases its server before it goes).
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Create or delete a MetalMachineTemplate's MetalMachines (<template>-0, -1, …) to have N of them.")

    static let clusterLabel = "cluster.x-k8s.io/cluster-name"

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Kind: metalmachinetemplate (mmt).") var kind: String
    @Argument(help: "Template name.") var name: String
    @Option(name: .long, parsing: .unconditional, help: "How many machines the template should have (0 or more).")
    var replicas: Int
    @Option(name: .shortAndLong, help: "Namespace of the template and its machines (default: default).")
    var namespace: String?
    @Option(name: .long, help: "Cluster name, set as label \(clusterLabel) on new machines.")
    var cluster: String?
    @Option(name: .customLong("bootstrap-secret"), help: "Secret with the machine config: spec.bootstrap.dataSecretName of new machines.")
    var bootstrapSecret: String?

    func run() async throws {
        try await runCLI {
            let kind = try KindArgument.resolve(self.kind)
            guard kind == ResourceKinds.metalMachineTemplate else {
                throw CLIError("scale works on metalmachinetemplate (mmt), not \(kind.kind.lowercased())")
            }
            guard replicas >= 0 else { throw CLIError("--replicas must be 0 or more, got \(replicas)") }
            let namespace = self.namespace ?? "default"
            try await global.withWritableStore { store in try await scale(store: store, namespace: namespace) }
        }
    }

    private func scale(store: Store, namespace: String) async throws {
        let templateLabel = "metalmachinetemplate/\(name)"
        guard let stored = try await store.find(kind: MetalMachineTemplate.resourceKind.kind, namespace: namespace, name: name) else {
            throw CLIError("metalmachinetemplates \"\(namespace)/\(name)\" not found")
        }
        let template = try MetalMachineTemplate(stored)
        guard template.metadata.deletionTimestamp == nil else { throw CLIError("\(templateLabel) is being deleted") }
        guard let owner = OwnerReference(owner: template.metadata, kind: ResourceKinds.metalMachineTemplate, controller: true) else {
            throw CLIError("\(templateLabel) has no uid")
        }

        // The template's machines by number; a machine of one of those names it does not own is refused.
        var owned: [Int: Resource] = [:]
        for machine in try await store.list(kind: MetalMachine.resourceKind.kind, namespace: namespace) {
            guard let number = Self.number(of: machine.name, template: name) else { continue }
            if machine.metadata.owners.contains(where: { $0.uid == owner.uid }) {
                owned[number] = machine
            } else if number < replicas {
                throw CLIError("metalmachine/\(machine.name) exists and is not owned by \(templateLabel)")
            }
        }
        if let going = (0..<replicas).compactMap({ owned[$0] }).first(where: { $0.metadata.deletionTimestamp != nil }) {
            throw CLIError("metalmachine/\(going.name) is still being deleted; run scale again once it is gone")
        }

        var changes = 0
        for number in 0..<replicas where owned[number] == nil {
            let machine = machine(number: number, template: template, owner: owner, namespace: namespace)
            _ = try await store.create(machine.resource)
            out("metalmachine/\(machine.metadata.name) created")
            changes += 1
        }
        for number in owned.keys.filter({ $0 >= replicas }).sorted(by: >) {
            guard let machine = owned[number], machine.metadata.deletionTimestamp == nil else { continue }
            do {
                switch try await store.delete(kind: MetalMachine.resourceKind.kind, namespace: namespace, name: machine.name) {
                case .deleted:
                    out("metalmachine/\(machine.name) deleted")
                case .deletionPending(let marked):
                    let finalizers = (marked.metadata.finalizers ?? []).joined(separator: ", ")
                    out("metalmachine/\(machine.name) marked for deletion; waiting for finalizers: \(finalizers)")
                }
                changes += 1
            } catch StoreError.notFound {
                continue
            }
        }
        if changes == 0 {
            out("\(templateLabel) already has \(replicas) machine\(replicas == 1 ? "" : "s")")
            return
        }
        try await store.recordEvent(
            for: stored, type: .normal, reason: "Scaled", message: "scaled to \(replicas) machines by an operator", source: "anvil")
    }

    private func machine(number: Int, template: MetalMachineTemplate, owner: OwnerReference, namespace: String) -> MetalMachine {
        var metadata = ObjectMeta(
            name: "\(name)-\(number)", namespace: namespace, labels: cluster.map { [Self.clusterLabel: $0] })
        metadata.ownerReferences = [owner.json]
        var spec = template.spec.template.spec
        if let bootstrapSecret { spec.bootstrap = MachineBootstrap(dataSecretName: bootstrapSecret) }
        // A machine's own state, never the template's.
        spec.providerID = nil
        return MetalMachine(metadata: metadata, spec: spec)
    }

    /// n for a machine named `<template>-<n>` (n a plain decimal, no leading zeros), else nil.
    static func number(of machine: String, template: String) -> Int? {
        let prefix = template + "-"
        guard machine.hasPrefix(prefix) else { return nil }
        let digits = machine.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            digits == "0" || !digits.hasPrefix("0"), let number = Int(digits)
        else { return nil }
        return number
    }
}
