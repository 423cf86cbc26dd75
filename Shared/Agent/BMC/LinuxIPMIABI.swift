import AnvilIPMI

// Mirrors of the Linux IPMI device interface (include/uapi/linux/ipmi.h) for x86_64 and other
// LP64 targets. Swift lays out these plain structs in declaration order with C alignment; the
// tests pin every size and offset to what the C compiler gives for the kernel header.

/// Constants of the `/dev/ipmiN` character device (include/uapi/linux/ipmi.h).
enum LinuxIPMIABI {
    /// `_IOR(IPMI_IOC_MAGIC, 13, struct ipmi_req)`: direction read (2) << 30 | sizeof(ipmi_req) 40
    /// (0x28) << 16 | 'i' (0x69) << 8 | 13 (0x0d) = 0x8028690d.
    static let sendCommand: UInt = 0x8028_690D
    /// `_IOWR(IPMI_IOC_MAGIC, 11, struct ipmi_recv)`: read|write (3) << 30 | sizeof(ipmi_recv) 48
    /// (0x30) << 16 | 'i' (0x69) << 8 | 11 (0x0b) = 0xc030690b. The _TRUNC variant hands over a
    /// too-long message cut to the buffer (errno EMSGSIZE) instead of keeping it queued.
    static let receiveMessageTruncated: UInt = 0xC030_690B

    /// `IPMI_SYSTEM_INTERFACE_ADDR_TYPE`: the BMC reached through the local system interface.
    static let systemInterfaceAddressType: Int32 = 0x0C
    /// `IPMI_BMC_CHANNEL`: the channel number that means "the BMC itself".
    static let bmcChannel: Int16 = 0x0F
    /// `IPMI_RESPONSE_RECV_TYPE`: a response to a command we sent (others are events, commands).
    static let responseReceiveType: Int32 = 1
    /// `IPMI_MAX_MSG_LENGTH`: the largest message body the driver carries.
    static let maximumMessageLength = 272
    /// `sizeof(struct ipmi_addr)`: int + short + char[IPMI_MAX_ADDR_SIZE = 32], padded to 40. Any
    /// address the driver reports fits in it.
    static let addressStorageSize = 40
}

/// `struct ipmi_system_interface_addr` { int addr_type; short channel; unsigned char lun; }:
/// 8 bytes with the C compiler's tail padding spelt out, because the driver reads addr_len bytes.
struct LinuxIPMISystemInterfaceAddress {
    var addressType: Int32 = LinuxIPMIABI.systemInterfaceAddressType
    var channel: Int16 = LinuxIPMIABI.bmcChannel
    var lun: UInt8 = 0
    var padding: UInt8 = 0
}

/// `struct ipmi_msg` { unsigned char netfn, cmd; unsigned short data_len; unsigned char *data; }.
struct LinuxIPMIMessage {
    var netFn: UInt8
    var command: UInt8
    var dataLength: UInt16
    var data: UnsafeMutablePointer<UInt8>?
}

/// `struct ipmi_req` { unsigned char *addr; unsigned int addr_len; long msgid; struct ipmi_msg msg; }.
struct LinuxIPMIRequest {
    var address: UnsafeMutableRawPointer?
    var addressLength: UInt32
    var messageID: Int
    var message: LinuxIPMIMessage
}

/// `struct ipmi_recv` { int recv_type; unsigned char *addr; unsigned int addr_len; long msgid;
/// struct ipmi_msg msg; }: the caller supplies both buffers and their sizes; the driver fills them.
struct LinuxIPMIReceive {
    var receiveType: Int32
    var address: UnsafeMutableRawPointer?
    var addressLength: UInt32
    var messageID: Int
    var message: LinuxIPMIMessage
}

/// One message taken off the device, copied out of the driver's buffers.
struct LinuxIPMIReceivedMessage: Sendable, Hashable {
    var receiveType: Int32
    var messageID: Int
    var netFn: UInt8
    var command: UInt8
    /// Completion code first, then the response data.
    var data: [UInt8]

    /// The response it carries; nil when the body is empty (no completion code to read).
    var response: IPMIResponse? {
        guard let completionCode = data.first else { return nil }
        return IPMIResponse(netFn: netFn, command: command, completionCode: completionCode, data: Array(data.dropFirst()))
    }
}
