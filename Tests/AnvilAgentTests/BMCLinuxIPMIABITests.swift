import AnvilIPMI
import AnvilPower
import Testing
@testable import AnvilAgent

/// The Swift mirrors of <linux/ipmi.h> against the C layout on x86_64 (LP64). The numbers below
/// are what gcc prints for `sizeof`/`offsetof` on the kernel's UAPI header:
///   struct ipmi_system_interface_addr { int addr_type; short channel; unsigned char lun; }  8: 0 4 6
///   struct ipmi_msg { unsigned char netfn, cmd; unsigned short data_len; unsigned char *data; }  16: 0 1 2 8
///   struct ipmi_req { unsigned char *addr; unsigned int addr_len; long msgid; struct ipmi_msg msg; }  40: 0 8 16 24
///   struct ipmi_recv { int recv_type; unsigned char *addr; unsigned int addr_len; long msgid; struct ipmi_msg msg; }  48: 0 8 16 24 32
///   struct ipmi_addr { int addr_type; short channel; char data[32]; }  40
///   IPMICTL_SEND_COMMAND = 0x8028690d, IPMICTL_RECEIVE_MSG_TRUNC = 0xc030690b
@Suite struct BMCLinuxIPMIABITests {
    /// `_IOC(dir, type, nr, size)` from include/uapi/asm-generic/ioctl.h: dir << 30 | size << 16 | type << 8 | nr.
    static func ioc(direction: UInt, type: Character, number: UInt, size: Int) -> UInt {
        direction << 30 | UInt(size) << 16 | UInt(type.asciiValue ?? 0) << 8 | number
    }

    @Test func ioctlNumbers() {
        // _IOR = direction 2 (read), _IOWR = 3 (read | write).
        #expect(LinuxIPMIABI.sendCommand == Self.ioc(direction: 2, type: "i", number: 13, size: MemoryLayout<LinuxIPMIRequest>.size))
        #expect(LinuxIPMIABI.receiveMessageTruncated == Self.ioc(direction: 3, type: "i", number: 11, size: MemoryLayout<LinuxIPMIReceive>.size))
        #expect(LinuxIPMIABI.sendCommand == 0x8028_690D)
        #expect(LinuxIPMIABI.receiveMessageTruncated == 0xC030_690B)
    }

    @Test func systemInterfaceAddress() {
        typealias A = LinuxIPMISystemInterfaceAddress
        #expect(MemoryLayout<A>.size == 8)
        #expect(MemoryLayout<A>.offset(of: \.addressType) == 0)
        #expect(MemoryLayout<A>.offset(of: \.channel) == 4)
        #expect(MemoryLayout<A>.offset(of: \.lun) == 6)
        var address = A()
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        #expect(bytes == [0x0C, 0, 0, 0, 0x0F, 0, 0, 0])  // little-endian: type 0x0c, channel 0xf, LUN 0
        #expect(LinuxIPMIABI.addressStorageSize == 40)
    }

    @Test func message() {
        typealias M = LinuxIPMIMessage
        #expect(MemoryLayout<M>.size == 16 && MemoryLayout<M>.alignment == 8)
        #expect(MemoryLayout<M>.offset(of: \.netFn) == 0)
        #expect(MemoryLayout<M>.offset(of: \.command) == 1)
        #expect(MemoryLayout<M>.offset(of: \.dataLength) == 2)
        #expect(MemoryLayout<M>.offset(of: \.data) == 8)
    }

    @Test func request() {
        typealias R = LinuxIPMIRequest
        #expect(MemoryLayout<R>.size == 40)
        #expect(MemoryLayout<R>.offset(of: \.address) == 0)
        #expect(MemoryLayout<R>.offset(of: \.addressLength) == 8)
        #expect(MemoryLayout<R>.offset(of: \.messageID) == 16)
        #expect(MemoryLayout<R>.offset(of: \.message) == 24)
        var request = R(
            address: nil, addressLength: 8, messageID: 0x0102,
            message: LinuxIPMIMessage(netFn: 0x0C, command: 0x02, dataLength: 4, data: nil))
        let bytes = withUnsafeBytes(of: &request) { Array($0) }
        #expect(Array(bytes[8..<12]) == [8, 0, 0, 0])
        #expect(Array(bytes[16..<24]) == [0x02, 0x01, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[24..<28]) == [0x0C, 0x02, 4, 0])
    }

    @Test func receive() {
        typealias R = LinuxIPMIReceive
        #expect(MemoryLayout<R>.size == 48)
        #expect(MemoryLayout<R>.offset(of: \.receiveType) == 0)
        #expect(MemoryLayout<R>.offset(of: \.address) == 8)
        #expect(MemoryLayout<R>.offset(of: \.addressLength) == 16)
        #expect(MemoryLayout<R>.offset(of: \.messageID) == 24)
        #expect(MemoryLayout<R>.offset(of: \.message) == 32)
    }

    @Test func aReceivedMessageCarriesTheCompletionCodeFirst() {
        let message = LinuxIPMIReceivedMessage(receiveType: 1, messageID: 7, netFn: 0x0D, command: 0x02, data: [0x00, 0x11, 10, 0, 0, 9])
        #expect(message.response == IPMIResponse(netFn: 0x0D, command: 0x02, completionCode: 0, data: [0x11, 10, 0, 0, 9]))
        let refused = LinuxIPMIReceivedMessage(receiveType: 1, messageID: 7, netFn: 0x0D, command: 0x02, data: [0x80])
        #expect(refused.response?.completionCode == 0x80 && refused.response?.data == [])
        #expect(LinuxIPMIReceivedMessage(receiveType: 1, messageID: 7, netFn: 0x0D, command: 0x02, data: []).response == nil)
    }
}

/// The device against files that are not IPMI devices: the errors must say what is wrong.
@Suite struct BMCIPMIDeviceTests {
    @Test func aMissingDeviceIsUnreachableWithAHint() async {
        do {
            _ = try IPMIDevice(path: "/nonexistent/ipmi0")
            Issue.record("opening a missing device must fail")
        } catch {
            guard case .unreachable(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("cannot open /nonexistent/ipmi0") && message.contains("ipmi_devintf"), "\(message)")
        }
    }

    @Test func aFileThatIsNotAnIPMIDeviceRefusesTheSend() async throws {
        let device = try IPMIDevice(path: "/dev/null")
        await #expect(throws: PowerError.self) { try await device.execute(GetDeviceID.request(), name: "Get Device ID") }
        do {
            _ = try await device.execute(GetDeviceID.request(), name: "Get Device ID")
        } catch {
            #expect(error.message.hasPrefix("Get Device ID: cannot send to /dev/null:"), "\(error.message)")
        }
        await device.close()
        await #expect(throws: PowerError.self) { try await device.execute(GetDeviceID.request(), name: "Get Device ID") }
    }

    @Test func tooMuchDataIsRefusedBeforeTheKernelSeesIt() async throws {
        let device = try IPMIDevice(path: "/dev/null")
        do {
            _ = try await device.execute(IPMIRequest(netFn: 6, command: 1, data: [UInt8](repeating: 0, count: 273)), name: "Big")
            Issue.record("273 bytes must be refused")
        } catch {
            guard case .invalidConfiguration = error else { Issue.record("\(error)"); return }
        }
    }
}

@Suite struct BMCSetupCommandTests {
    @Test func options() {
        #expect(BMCSetupCommand.parse([]) == .success(BMCSetupCommand.Options()))
        #expect(BMCSetupCommand.parse(["--device", "/dev/ipmi1", "--user", "anvil", "--channel", "2"])
            == .success(BMCSetupCommand.Options(device: "/dev/ipmi1", user: "anvil", channel: 2)))
        #expect(BMCSetupCommand.parse(["--help"]) == .failure(BMCSetupCommand.Problem(message: "")))
        #expect(BMCSetupCommand.parse(["--device"]) == .failure(BMCSetupCommand.Problem(message: "--device needs a value")))
        #expect(BMCSetupCommand.parse(["--bogus"]) == .failure(BMCSetupCommand.Problem(message: "unknown argument --bogus")))
        #expect(BMCSetupCommand.parse(["--channel", "16"]) == .failure(BMCSetupCommand.Problem(message: "--channel takes 0-15, not 16")))
        #expect(BMCSetupCommand.parse(["--user", "a-name-that-is-too-long"]) == .failure(BMCSetupCommand.Problem(message: "--user takes at most 16 bytes")))
    }

    @Test func aMissingDeviceExitsOne() async {
        #expect(await BMCSetupCommand.run(arguments: ["--device", "/nonexistent/ipmi0"]) == 1)
        #expect(await BMCSetupCommand.run(arguments: ["--nonsense"]) == 2)
    }
}
