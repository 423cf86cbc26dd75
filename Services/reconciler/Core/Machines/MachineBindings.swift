import AnvilController
import AnvilResources

/// The ServerBinding a machine gets, and whether a binding is a machine's (docs/sidero-controllers.md
/// §1.5 "ServerBinding", §5.3).
enum MachineBindings {
    static func key(of machine: MetalMachine) -> String {
        ObjectKey.make(namespace: machine.metadata.namespace ?? "default", name: machine.metadata.name)
    }

    /// A binding named the server's UUID (the allocation lock), naming the machine with its uid,
    /// the class it came from (nil when picked by serverRef), with the machine's labels.
    static func binding(server: String, for machine: MetalMachine, serverClassRef: ObjectReference?) -> ServerBinding {
        ServerBinding(
            metadata: ObjectMeta(name: server, labels: machine.metadata.labels),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(
                    kind: MetalMachine.resourceKind.kind, namespace: machine.metadata.namespace ?? "default",
                    name: machine.metadata.name, uid: machine.metadata.uid),
                serverClassRef: serverClassRef))
    }

    /// The binding names this machine: same namespace and name, and the same uid when both have
    /// one (a binding left by an earlier machine of the same name is not this one's).
    static func belongs(_ owner: BindingIndex.Owner, to machine: MetalMachine) -> Bool {
        guard owner.machineKey == key(of: machine) else { return false }
        guard let uid = owner.uid, let machineUID = machine.metadata.uid else { return true }
        return uid == machineUID
    }

    static func belongs(_ binding: ServerBinding, to machine: MetalMachine) -> Bool {
        belongs(BindingIndex.owner(of: binding), to: machine)
    }

    /// The binding names a machine of this key but an earlier incarnation (another uid).
    static func isStale(_ owner: BindingIndex.Owner, for machine: MetalMachine) -> Bool {
        owner.machineKey == key(of: machine) && !belongs(owner, to: machine)
    }
}
