/// A command as counted: network function and command number (IPMI v2.0 spec §5.1).
public struct BMCCommandKey: Sendable, Hashable, CustomStringConvertible {
    public var netFn: UInt8
    public var command: UInt8

    public init(netFn: UInt8, command: UInt8) {
        self.netFn = netFn & 0xFE
        self.command = command
    }

    /// "netFn/command" in hex, e.g. "00/02" for Chassis Control.
    public var description: String {
        func hex(_ byte: UInt8) -> String {
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "\(hex(netFn))/\(hex(command))"
    }
}

/// What one simulated BMC has seen, for the benchmark's "IPMI commands per server".
public struct BMCStatistics: Sendable, Equatable {
    /// Every datagram that reached the BMC, dropped or not.
    public var datagramsReceived = 0
    /// Dropped by the packet-loss fault.
    public var datagramsDropped = 0
    /// Datagrams answered (what the freeze fault counts).
    public var datagramsAnswered = 0
    /// RMCP+ sessions completed (RAKP 4 sent with status 0).
    public var sessionsOpened = 0
    /// Handshakes refused (unknown user, bad password, suite, role).
    public var loginsRefused = 0
    /// In-session IPMI commands executed, whatever their completion code.
    public var commands = 0
    /// Session-less IPMI commands (Get Channel Authentication Capabilities, cipher suites).
    public var sessionlessCommands = 0
    public var commandsByKey: [BMCCommandKey: Int] = [:]

    public init() {}

    /// Two BMCs' counts added: a fleet's totals.
    public static func + (lhs: BMCStatistics, rhs: BMCStatistics) -> BMCStatistics {
        var sum = lhs
        sum.datagramsReceived += rhs.datagramsReceived
        sum.datagramsDropped += rhs.datagramsDropped
        sum.datagramsAnswered += rhs.datagramsAnswered
        sum.sessionsOpened += rhs.sessionsOpened
        sum.loginsRefused += rhs.loginsRefused
        sum.commands += rhs.commands
        sum.sessionlessCommands += rhs.sessionlessCommands
        sum.commandsByKey.merge(rhs.commandsByKey, uniquingKeysWith: +)
        return sum
    }
}
