/// Network function codes used by this module (IPMI v2.0 spec §5.1, table 5-1); responses use the odd value.
public enum IPMINetFn {
    public static let chassis: UInt8 = 0x00
    public static let app: UInt8 = 0x06
    public static let transport: UInt8 = 0x0C
}
