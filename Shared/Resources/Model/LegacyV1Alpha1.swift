/// The metal.sidero.dev/v1alpha1 shapes that differ from v1alpha2 (Sidero v0.4/v0.5).
/// Used to check v1alpha1 input strictly before converting it, so errors name v1alpha1 paths.

/// v1alpha1 `spec.system` / `qualifiers.systemInformation[]` (no uuid).
struct LegacySystemInformation: Codable, Hashable {
    var manufacturer: String?
    var productName: String?
    var version: String?
    var serialNumber: String?
    var skuNumber: String?
    var family: String?
}

/// v1alpha1 `spec.cpu` / `qualifiers.cpu[]`; `version` is v1alpha2's processor productName.
struct LegacyCPUInformation: Codable, Hashable {
    var manufacturer: String?
    var version: String?
}

/// v1alpha1 Server spec: the v1alpha2 fields (less `hardware`) plus `system` and `cpu`.
struct LegacyServerSpec: Codable {
    var system: LegacySystemInformation?
    var cpu: LegacyCPUInformation?
    var rest: ServerSpec

    private enum CodingKeys: String, CodingKey { case system, cpu, hardware }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        system = try c.decodeIfPresent(LegacySystemInformation.self, forKey: .system)
        cpu = try c.decodeIfPresent(LegacyCPUInformation.self, forKey: .cpu)
        rest = try ServerSpec(from: decoder)
        // `hardware` only exists from v1alpha2 on; leaving it out of the re-encoding flags it as unknown.
        rest.hardware = nil
    }

    func encode(to encoder: Encoder) throws {
        try rest.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(system, forKey: .system)
        try c.encodeIfPresent(cpu, forKey: .cpu)
    }
}

/// v1alpha1 qualifiers: cpu[], systemInformation[], labelSelectors[].
struct LegacyQualifiers: Codable {
    var cpu: [LegacyCPUInformation]?
    var systemInformation: [LegacySystemInformation]?
    var labelSelectors: [[String: String]]?
}

/// v1alpha1 ServerClass spec: v1alpha2 fields with v1alpha1 qualifiers.
struct LegacyServerClassSpec: Codable {
    var qualifiers: LegacyQualifiers?
    var rest: ServerClassSpec

    private enum CodingKeys: String, CodingKey { case qualifiers }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        qualifiers = try c.decodeIfPresent(LegacyQualifiers.self, forKey: .qualifiers)
        // The v1alpha2 decoder reads only `hardware`/`labelSelectors` from the qualifiers;
        // dropping its copy leaves v1alpha1's own qualifiers as the only ones re-encoded.
        rest = try ServerClassSpec(from: decoder)
        rest.qualifiers = nil
    }

    func encode(to encoder: Encoder) throws {
        try rest.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(qualifiers, forKey: .qualifiers)
    }
}
