/// How iPXE hands over to the installed OS (Sidero `bootFromDiskMethod`).
public enum BootFromDiskMethod: String, StringEnumeration {
    case ipxeExit = "ipxe-exit"
    case http404 = "http-404"
    case ipxeSanboot = "ipxe-sanboot"
}

/// Firmware mode used when asking the BMC for a PXE boot (Sidero `pxeMode`).
public enum PXEMode: String, StringEnumeration {
    case uefi
    case bios
}

/// `Server.status.power` as Sidero reports it.
public enum PowerState: String, StringEnumeration {
    case on
    case off
    case unknown
}

/// `bmc.interface`: how bmcd talks to the BMC. Sidero passes this to ipmitool (empty = lanplus);
/// Anvil speaks lanplus (IPMI v2.0 RMCP+), lan (IPMI v1.5) and Redfish natively.
public enum BMCInterface: String, StringEnumeration {
    case lanplus
    case lan
    case redfish
}
