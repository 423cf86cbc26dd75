import ArgumentParser

/// The firmware mode a forced PXE boot asks the BMC for when the Server names none.
public struct PXEMethodOptions: ParsableArguments, Sendable {
    public init() {}

    public static let choices = ["uefi", "bios"]

    @Option(name: .customLong("ipmi-pxe-method"), help: "uefi or bios (ANVIL_IPMI_PXE_METHOD, SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD; default uefi).")
    public var ipmiPXEMethod: String?

    public func resolve(_ source: SettingSource) throws -> String {
        try source.choice(flag: ipmiPXEMethod, name: "IPMI_PXE_METHOD", sideroAlias: true, allowed: Self.choices, default: "uefi")
    }
}
