import AnvilResources

/// What a network-booting server gets from `/ipxe` (README "bootd and metadatad").
public enum BootTarget: Equatable, Sendable {
    /// Discovery and wiping: the agent environment.
    case agent
    /// Already installed: hand over to the disk by this method.
    case disk(BootFromDiskMethod)
    /// Install: boot this Environment.
    case environment(String)
}

/// Sidero's `/ipxe` precedence, as a pure function of what the store holds for one server.
public enum BootDecision {
    /// - Parameters:
    ///   - server: the Server named by the SMBIOS UUID, if any.
    ///   - binding: its ServerBinding, if any.
    ///   - serverClass: the class the binding names, if any and found.
    ///   - defaultDiskMethod: the operator's `--boot-from-disk-method`.
    public static func target(
        server: Server?, binding: ServerBinding?, serverClass: ServerClass?, defaultDiskMethod: BootFromDiskMethod
    ) -> BootTarget {
        // Unknown or not allocated (accepted or not, clean or not): the agent. Sidero answered
        // 404 here before v0.5, which sent some UEFI firmware into its setup menu (#558).
        guard let server, binding != nil else { return .agent }
        if server.status.condition(Server.conditionPXEBooted)?.status == "True", server.spec.pxeBootAlways != true {
            return .disk(server.spec.bootFromDiskMethod ?? serverClass?.spec.bootFromDiskMethod ?? defaultDiskMethod)
        }
        if let name = server.spec.environmentRef?.name, !name.isEmpty {
            return .environment(name)
        }
        if let name = serverClass?.spec.environmentRef?.name, !name.isEmpty {
            return .environment(name)
        }
        return .environment(Environment.defaultName)
    }
}
