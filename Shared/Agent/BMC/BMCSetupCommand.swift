import AnvilJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `anvil-agent bmc [--device /dev/ipmi0] [--user sidero] [--channel 1]`: runs the in-band BMC
/// setup once, by hand, for debugging. Log lines go to standard error, the report to standard
/// output as one JSON line. Exit status 0 when the user was set up, 1 when not (or no device),
/// 2 for a usage error.
public enum BMCSetupCommand {
    public static let usage = "usage: anvil-agent bmc [--device /dev/ipmi0] [--user sidero] [--channel 1]"

    /// The options after `bmc`.
    struct Options: Sendable, Hashable {
        var device = "/dev/ipmi0"
        var user = InBandBMCSetup.defaultUser
        var channel: UInt8 = 1
    }

    /// `arguments` are those after the `bmc` word.
    public static func run(arguments: [String]) async -> Int32 {
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let problem):
            standardError(problem.message.isEmpty ? usage : "anvil-agent bmc: \(problem.message)\n\(usage)")
            return problem.message.isEmpty ? 0 : 2
        }
        let device: IPMIDevice
        do {
            device = try IPMIDevice(path: options.device)
        } catch {
            standardError("bmc: \(error.message)")
            return 1
        }
        let report = await InBandBMCSetup(user: options.user, channel: options.channel)
            .run(executor: device, log: { standardError($0) })
        await device.close()
        print(JSONWriter.string(report.json))
        return report.user == nil ? 1 : 0
    }

    /// A parse problem; an empty message means help was asked for.
    struct Problem: Error, Sendable, Hashable {
        var message: String
    }

    static func parse(_ arguments: [String]) -> Result<Options, Problem> {
        var options = Options()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "-h" || argument == "--help" { return .failure(Problem(message: "")) }
            guard ["--device", "--user", "--channel"].contains(argument) else {
                return .failure(Problem(message: "unknown argument \(argument)"))
            }
            guard let value = remaining.popFirst(), !value.isEmpty else {
                return .failure(Problem(message: "\(argument) needs a value"))
            }
            switch argument {
            case "--device": options.device = value
            case "--user":
                guard value.utf8.count <= 16 else { return .failure(Problem(message: "--user takes at most 16 bytes")) }
                options.user = value
            default:
                guard let channel = UInt8(value), channel <= 0x0F else {
                    return .failure(Problem(message: "--channel takes 0-15, not \(value)"))
                }
                options.channel = channel
            }
        }
        return .success(options)
    }

    /// One line to standard error, unbuffered so it interleaves with the kernel's console output.
    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
