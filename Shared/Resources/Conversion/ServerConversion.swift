import AnvilJSON

/// Server spec v1alpha1 `system`/`cpu` ⇄ v1alpha2 `hardware.system`/`hardware.compute.processors[0]`,
/// as Sidero's server_conversion.go does. Every other field is the same in both versions.
enum ServerConversion {
    static func upgrade(_ spec: [String: JSONValue]) -> [String: JSONValue] {
        var spec = spec
        let system = spec.removeValue(forKey: "system")?.objectValue
        let cpu = spec.removeValue(forKey: "cpu")?.objectValue
        guard system != nil || cpu != nil else { return spec }
        var hardware = spec["hardware"]?.objectValue ?? [:]
        if let system {
            hardware["system"] = .object(system)
        }
        if let cpu {
            hardware["compute"] = ["processors": [LegacyHardware.processor(fromCPU: cpu)]]
        }
        spec["hardware"] = .object(hardware)
        return spec
    }

    static func downgrade(_ spec: [String: JSONValue]) -> [String: JSONValue] {
        var spec = spec
        guard let hardware = spec.removeValue(forKey: "hardware")?.objectValue else { return spec }
        if let system = hardware["system"]?.objectValue {
            spec["system"] = LegacyHardware.legacySystem(system)
        }
        if let processor = LegacyHardware.firstProcessor(of: hardware["compute"]) {
            spec["cpu"] = LegacyHardware.cpu(fromProcessor: processor)
        }
        return spec
    }
}
