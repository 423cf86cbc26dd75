import AnvilJSON

/// ServerClass qualifiers v1alpha1 `systemInformation[]`/`cpu[]` ⇄ v1alpha2 `hardware[]`, as Sidero's
/// serverclass_conversion.go does: each v1alpha1 entry becomes its own hardware entry (systems
/// first, then CPUs), and each hardware entry yields a system and/or a cpu entry going back.
enum ServerClassConversion {
    static func upgrade(_ spec: [String: JSONValue]) -> [String: JSONValue] {
        guard var qualifiers = spec["qualifiers"]?.objectValue else { return spec }
        let systems = qualifiers.removeValue(forKey: "systemInformation")?.arrayValue ?? []
        let cpus = qualifiers.removeValue(forKey: "cpu")?.arrayValue ?? []
        var hardware = qualifiers["hardware"]?.arrayValue ?? []
        for system in systems.compactMap(\.objectValue) {
            hardware.append(["system": .object(system)])
        }
        for cpu in cpus.compactMap(\.objectValue) {
            hardware.append(["compute": ["processors": [LegacyHardware.processor(fromCPU: cpu)]]])
        }
        if !hardware.isEmpty {
            qualifiers["hardware"] = .array(hardware)
        }
        var spec = spec
        spec["qualifiers"] = .object(qualifiers)
        return spec
    }

    static func downgrade(_ spec: [String: JSONValue]) -> [String: JSONValue] {
        guard var qualifiers = spec["qualifiers"]?.objectValue else { return spec }
        let hardware = qualifiers.removeValue(forKey: "hardware")?.arrayValue ?? []
        var systems: [JSONValue] = []
        var cpus: [JSONValue] = []
        for entry in hardware.compactMap(\.objectValue) {
            if let system = entry["system"]?.objectValue {
                systems.append(LegacyHardware.legacySystem(system))
            }
            if let processor = LegacyHardware.firstProcessor(of: entry["compute"]) {
                cpus.append(LegacyHardware.cpu(fromProcessor: processor))
            }
        }
        if !systems.isEmpty {
            qualifiers["systemInformation"] = .array(systems)
        }
        if !cpus.isEmpty {
            qualifiers["cpu"] = .array(cpus)
        }
        var spec = spec
        spec["qualifiers"] = .object(qualifiers)
        return spec
    }
}
