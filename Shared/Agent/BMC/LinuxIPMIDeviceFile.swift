import AnvilIPMI
import AnvilPower

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open `/dev/ipmiN`: the raw calls of the Linux IPMI driver. None of them waits: the send
/// ioctl queues the message, poll is asked with a zero timeout and the receive ioctl answers
/// EAGAIN when nothing is queued; ``IPMIDevice`` does the waiting without holding a thread.
struct LinuxIPMIDeviceFile: Sendable {
    let descriptor: Int32
    let path: String

    static func openDevice(path: String) throws(PowerError) -> LinuxIPMIDeviceFile {
        let descriptor = path.withCString { open($0, O_RDWR | O_CLOEXEC) }
        guard descriptor >= 0 else {
            let code = errno
            let hint = code == ENOENT ? " (no BMC, or the ipmi_si and ipmi_devintf modules are not loaded)" : ""
            throw .unreachable("cannot open \(path): \(errorText(code))\(hint)")
        }
        return LinuxIPMIDeviceFile(descriptor: descriptor, path: path)
    }

    /// Queues `request` for the BMC (system interface address, LUN 0) under `messageID`.
    func send(_ request: IPMIRequest, messageID: Int, name: String) throws(PowerError) {
        guard request.data.count <= LinuxIPMIABI.maximumMessageLength else {
            throw .invalidConfiguration("\(name): \(request.data.count) data bytes exceed the driver's \(LinuxIPMIABI.maximumMessageLength)")
        }
        var address = LinuxIPMISystemInterfaceAddress()
        var data = request.data
        let result = withUnsafeMutableBytes(of: &address) { addressBytes in
            data.withUnsafeMutableBufferPointer { dataBytes in
                var kernelRequest = LinuxIPMIRequest(
                    address: addressBytes.baseAddress,
                    addressLength: UInt32(MemoryLayout<LinuxIPMISystemInterfaceAddress>.size),
                    messageID: messageID,
                    message: LinuxIPMIMessage(
                        netFn: request.netFn, command: request.command, dataLength: UInt16(dataBytes.count),
                        data: dataBytes.count > 0 ? dataBytes.baseAddress : nil))
                return ioctl(descriptor, LinuxIPMIABI.sendCommand, &kernelRequest)
            }
        }
        guard result == 0 else {
            throw .unreachable("\(name): cannot send to \(path): \(Self.errorText(errno))")
        }
    }

    /// Whether a message is waiting, without waiting.
    func hasMessage() throws(PowerError) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, 0)
        if ready < 0 {
            let code = errno
            if code == EINTR { return false }
            throw .unreachable("cannot poll \(path): \(Self.errorText(code))")
        }
        return ready > 0 && entry.revents & Int16(POLLIN) != 0
    }

    /// Takes the next queued message; nil when none is queued.
    func receive() throws(PowerError) -> LinuxIPMIReceivedMessage? {
        var addressStorage = [UInt8](repeating: 0, count: LinuxIPMIABI.addressStorageSize)
        var buffer = [UInt8](repeating: 0, count: LinuxIPMIABI.maximumMessageLength)
        let outcome = addressStorage.withUnsafeMutableBytes { addressBytes in
            buffer.withUnsafeMutableBufferPointer { dataBytes in
                var kernelReceive = LinuxIPMIReceive(
                    receiveType: 0, address: addressBytes.baseAddress, addressLength: UInt32(addressBytes.count), messageID: 0,
                    message: LinuxIPMIMessage(netFn: 0, command: 0, dataLength: UInt16(dataBytes.count), data: dataBytes.baseAddress))
                let result = ioctl(descriptor, LinuxIPMIABI.receiveMessageTruncated, &kernelReceive)
                return (result: result, code: result < 0 ? errno : 0, kernelReceive: kernelReceive)
            }
        }
        // EMSGSIZE: the message was longer than the buffer and came cut; it is still ours.
        if outcome.result < 0 && outcome.code != EMSGSIZE {
            if outcome.code == EAGAIN || outcome.code == EINTR { return nil }
            throw .unreachable("cannot receive from \(path): \(Self.errorText(outcome.code))")
        }
        let message = outcome.kernelReceive.message
        let length = min(Int(message.dataLength), buffer.count)
        return LinuxIPMIReceivedMessage(
            receiveType: outcome.kernelReceive.receiveType, messageID: outcome.kernelReceive.messageID,
            netFn: message.netFn, command: message.command, data: Array(buffer.prefix(length)))
    }

    func closeDevice() {
        _ = close(descriptor)
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
