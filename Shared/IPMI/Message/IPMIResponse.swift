/// A command's answer: the response netFn (request netFn | 1), command, completion code and data (IPMI v2.0 spec §5.2).
public struct IPMIResponse: Sendable, Hashable {
    /// The response network function: the request's, with bit 0 set.
    public var netFn: UInt8
    public var command: UInt8
    public var completionCode: UInt8
    /// The bytes after the completion code.
    public var data: [UInt8]

    public init(netFn: UInt8, command: UInt8, completionCode: UInt8 = IPMICompletionCode.success, data: [UInt8] = []) {
        self.netFn = netFn
        self.command = command
        self.completionCode = completionCode
        self.data = data
    }

    /// The response that answers `request`: same command, netFn | 1.
    public init(answering request: IPMIRequest, completionCode: UInt8 = IPMICompletionCode.success, data: [UInt8] = []) {
        self.init(netFn: request.netFn | 0x01, command: request.command, completionCode: completionCode, data: data)
    }
}
