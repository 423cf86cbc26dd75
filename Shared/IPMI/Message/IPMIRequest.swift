/// A command as the requester sends it: network function, command number and request data (IPMI v2.0 spec §5.1).
public struct IPMIRequest: Sendable, Hashable {
    public var netFn: UInt8
    public var command: UInt8
    public var data: [UInt8]

    public init(netFn: UInt8, command: UInt8, data: [UInt8] = []) {
        self.netFn = netFn
        self.command = command
        self.data = data
    }
}
