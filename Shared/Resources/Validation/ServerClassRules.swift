/// ServerClass checks beyond field types.
enum ServerClassRules {
    static func check(_ serverClass: ServerClass) throws {
        let spec = serverClass.spec
        try CommonRules.checkReference(spec.environmentRef, field: "spec.environmentRef")
        try LabelRules.checkSelector(spec.selector, field: "spec.selector")
        for (index, hardware) in (spec.qualifiers?.hardware ?? []).enumerated() {
            try HardwareRules.check(hardware, field: "spec.qualifiers.hardware[\(index)]")
        }
        for (index, labels) in (spec.qualifiers?.labelSelectors ?? []).enumerated() {
            try LabelRules.checkLabels(labels, field: "spec.qualifiers.labelSelectors[\(index)]")
        }
        try CommonRules.checkConfigPatches(spec.configPatches, field: "spec.configPatches")
        try CommonRules.checkStrategicPatches(spec.strategicPatches, field: "spec.strategicPatches")
    }
}
