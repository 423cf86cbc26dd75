import AnvilJSON

/// The PATCH body that sets the next (or every) boot's device (DSP2046 ComputerSystem.Boot).
enum RedfishBootOverride {
    static func body(for request: BootDeviceRequest, system: RedfishSystem) throws(PowerError) -> JSONValue {
        let target = request.device == .pxe ? "Pxe" : "Hdd"
        if let allowed = system.allowedBootTargets, !allowed.contains(target) {
            throw .notSupported(
                "system \(system.link) cannot boot from \(target); it offers \(allowed.joined(separator: ", "))")
        }
        var boot: [String: JSONValue] = [
            "BootSourceOverrideTarget": .string(target),
            "BootSourceOverrideEnabled": .string(request.persistent ? "Continuous" : "Once"),
        ]
        // A system without the property has one firmware mode; sending it would be refused.
        if system.hasBootOverrideMode {
            let mode = request.mode == .uefi ? "UEFI" : "Legacy"
            if let allowed = system.allowedBootModes, !allowed.contains(mode) {
                throw .notSupported(
                    "system \(system.link) cannot boot in \(mode) mode; it offers \(allowed.joined(separator: ", "))")
            }
            boot["BootSourceOverrideMode"] = .string(mode)
        }
        return ["Boot": .object(boot)]
    }
}
