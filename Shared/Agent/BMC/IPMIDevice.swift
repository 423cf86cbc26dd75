import AnvilIPMI
import AnvilIPMIClient
import AnvilPower

/// How long ``IPMIDevice`` waits and how often it tries again.
public struct IPMIDeviceTiming: Sendable, Hashable {
    /// The wait for one answer before the command is sent again.
    public var responseTimeout: Duration
    /// Sends per command when the BMC stays silent.
    public var attempts: Int
    /// Extra sends when the BMC answers "busy", "initialising" or "timeout" (0xC0, 0xD2, 0xC3):
    /// a BMC still coming up (or QEMU's not yet connected to its simulator) answers so at first.
    public var busyRetries: Int
    public var busyDelay: Duration
    /// The first pause between looks at the device; it doubles up to `maximumPollInterval`.
    public var pollInterval: Duration
    public var maximumPollInterval: Duration

    public init(
        responseTimeout: Duration = .seconds(5), attempts: Int = 3, busyRetries: Int = 10, busyDelay: Duration = .seconds(1),
        pollInterval: Duration = .milliseconds(1), maximumPollInterval: Duration = .milliseconds(20)
    ) {
        self.responseTimeout = responseTimeout
        self.attempts = attempts
        self.busyRetries = busyRetries
        self.busyDelay = busyDelay
        self.pollInterval = pollInterval
        self.maximumPollInterval = maximumPollInterval
    }
}

/// The BMC in band, through the Linux IPMI driver's `/dev/ipmi0` (modules ipmi_msghandler,
/// ipmi_si, ipmi_devintf): one command in flight at a time, each matched to its answer by
/// message ID. Waiting is asynchronous (zero-timeout poll, then a sleep), so no thread of the
/// cooperative pool is held while the BMC thinks.
public actor IPMIDevice: IPMICommandExecutor {
    /// Completion codes that mean "ask again shortly".
    static let busyCompletionCodes: Set<UInt8> = [
        IPMICompletionCode.nodeBusy, IPMICompletionCode.bmcInitializationInProgress, IPMICompletionCode.timeout,
    ]

    /// The device path.
    public nonisolated let target: String
    private let file: LinuxIPMIDeviceFile
    private let timing: IPMIDeviceTiming
    private let queue = PowerCommandGate(limiter: nil)
    private var lastMessageID = 0
    private var isOpen = true

    /// Opens the device; `.unreachable` when it is missing (no BMC, or the modules are not loaded).
    public init(path: String = "/dev/ipmi0", timing: IPMIDeviceTiming = IPMIDeviceTiming()) throws(PowerError) {
        file = try LinuxIPMIDeviceFile.openDevice(path: path)
        target = path
        self.timing = timing
    }

    deinit {
        if isOpen { file.closeDevice() }
    }

    /// Sends one command to the BMC and returns its answer whatever the completion code.
    public func execute(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        try await queue.run("\(name) on \(target)") { try await self.exchange(request, name: name) }
    }

    /// Closes the device; later commands fail.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        file.closeDevice()
    }

    private func exchange(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        var silences = 0
        var busyAnswers = 0
        while true {
            guard isOpen else { throw .unreachable("\(name): \(target) is closed") }
            lastMessageID = lastMessageID == Int.max ? 1 : lastMessageID + 1
            let messageID = lastMessageID
            try file.send(request, messageID: messageID, name: name)
            guard let response = try await answer(to: messageID, name: name) else {
                silences += 1
                guard silences < max(1, timing.attempts) else {
                    throw .unreachable("\(name): no answer from the BMC through \(target) after \(silences) tries of \(timing.responseTimeout)")
                }
                continue
            }
            if Self.busyCompletionCodes.contains(response.completionCode) && busyAnswers < timing.busyRetries {
                busyAnswers += 1
                try await pause(timing.busyDelay, name: name)
                continue
            }
            return response
        }
    }

    /// The response carrying `messageID`, or nil when none came within the timeout. Answers to
    /// earlier, abandoned sends and asynchronous events are dropped.
    private func answer(to messageID: Int, name: String) async throws(PowerError) -> IPMIResponse? {
        let deadline = ContinuousClock.now + timing.responseTimeout
        var interval = timing.pollInterval
        while ContinuousClock.now < deadline {
            while try file.hasMessage(), let message = try file.receive() {
                guard message.receiveType == LinuxIPMIABI.responseReceiveType, message.messageID == messageID else { continue }
                guard let response = message.response else {
                    throw .protocolError("\(name): the BMC sent an empty answer (no completion code) through \(target)")
                }
                return response
            }
            try await pause(interval, name: name)
            interval = min(interval * 2, timing.maximumPollInterval)
        }
        return nil
    }

    private func pause(_ duration: Duration, name: String) async throws(PowerError) {
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw .deadlineExceeded("\(name) on \(target) cancelled")
        }
    }
}
