import Foundation
#if os(Linux)
import Glibc
#endif

/// `anvil-agent dhcp --interface NAME | --mac MAC | --all [--timeout SECONDS] [--attempt-timeout SECONDS]
/// [--link-timeout SECONDS] [--no-resolv-conf] [--no-hostname]`: configures one interface with
/// DHCP as the agent would, prints the result as one JSON line on stdout and logs on stderr.
/// `--all` runs the agent's own choice (every Ethernet NIC with a link) and prints a line per
/// interface. For debugging on a real machine and for the integration tests.
public enum DHCPProbeCommand {
    /// The probe's settings, parsed from its arguments.
    struct Options: Equatable {
        var interface: String?
        var mac: String?
        var all = false
        var timeout: Duration = .seconds(300)
        var attemptTimeout: Duration = .seconds(30)
        var linkTimeout: Duration = .seconds(60)
        var writesResolvConf = true
        var setsHostname = true
    }

    static let usage = "usage: anvil-agent dhcp (--interface NAME | --mac MAC | --all) [--timeout SECONDS] [--attempt-timeout SECONDS] [--link-timeout SECONDS] [--no-resolv-conf] [--no-hostname]"

    /// Runs the probe with the words after `dhcp` (a leading `dhcp` is skipped too) and returns
    /// the exit status: 0 with a lease, 1 without one, 2 for a wrong command line.
    public static func run(arguments: [String]) async -> Int32 {
        let options: Options
        do {
            options = try parse(arguments.first == "dhcp" ? Array(arguments.dropFirst()) : arguments)
        } catch {
            writeError("dhcp: \(error)\n\(usage)")
            return 2
        }
        #if os(Linux)
        let setup = NetworkSetup(
            log: { writeError($0) }, linkTimeout: options.linkTimeout, dhcpTimeout: options.timeout,
            attemptTimeout: min(options.attemptTimeout, options.timeout),
            resolvConfPath: options.writesResolvConf ? "/etc/resolv.conf" : nil, setsHostname: options.setsHostname)
        do {
            if options.all {
                for configured in try await setup.configure(preferredMAC: nil) {
                    print(try jsonLine(configured, addresses: InterfaceAddresses.cidrs(of: configured.name)))
                }
                return 0
            }
            let configured: ConfiguredInterface
            if let name = options.interface {
                configured = try await setup.configure(interfaceNamed: name)
            } else if let mac = options.mac, let interface = SysfsNetwork().interface(mac: mac) {
                configured = try await setup.configure(interfaceNamed: interface.name)
            } else {
                throw NetworkSetupError.noSuchInterface("with MAC \(options.mac ?? "")")
            }
            print(try jsonLine(configured, addresses: InterfaceAddresses.cidrs(of: configured.name)))
            return 0
        } catch {
            writeError("dhcp: failed: \(error)")
            return 1
        }
        #else
        writeError("dhcp: only supported on Linux")
        return 1
        #endif
    }

    static func parse(_ arguments: [String]) throws(NetworkSetupError) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws(NetworkSetupError) -> String {
            guard let value = rest.popFirst(), !value.hasPrefix("--") else { throw .usage("\(flag) needs a value") }
            return value
        }
        func seconds(_ flag: String) throws(NetworkSetupError) -> Duration {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw .usage("\(flag) needs a positive number of seconds, not \(text)") }
            return .seconds(number)
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--interface": options.interface = try value(argument)
            case "--mac":
                let text = try value(argument)
                guard let mac = MACAddress.normalized(text) else { throw .usage("--mac \(text) is not a MAC address") }
                options.mac = mac
            case "--all": options.all = true
            case "--timeout": options.timeout = try seconds(argument)
            case "--attempt-timeout": options.attemptTimeout = try seconds(argument)
            case "--link-timeout": options.linkTimeout = try seconds(argument)
            case "--no-resolv-conf": options.writesResolvConf = false
            case "--no-hostname": options.setsHostname = false
            default: throw .usage("unknown argument \(argument)")
            }
        }
        guard [options.interface != nil, options.mac != nil, options.all].filter({ $0 }).count == 1 else {
            throw .usage("name exactly one of --interface, --mac and --all")
        }
        return options
    }

    /// The result line: the configured interface plus the addresses it has now.
    static func jsonLine(_ configured: ConfiguredInterface, addresses: [String]) throws -> String {
        struct Line: Encodable {
            var interface: ConfiguredInterface
            var addresses: [String]

            func encode(to encoder: any Encoder) throws {
                try interface.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(addresses, forKey: .addresses)
            }

            enum Key: String, CodingKey { case addresses }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Line(interface: configured, addresses: addresses)), as: UTF8.self)
    }

    /// One line on stderr, unbuffered, so it interleaves sanely with the kernel's console output.
    static func writeError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        #if os(Linux)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        #else
        FileHandle.standardError.write(Data(bytes))
        #endif
    }
}
