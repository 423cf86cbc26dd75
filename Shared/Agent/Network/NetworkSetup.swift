#if os(Linux)
import AnvilDHCP
import Foundation

/// Brings networking up with DHCP the way Sidero's agent does: the NIC the kernel command line
/// names (`sidero.mac=`) if it shows up with a link, else every Ethernet NIC that has one.
/// Every step logs one line, for the operator watching the serial console.
public struct NetworkSetup: Sendable {
    /// How long to wait for the named NIC to appear and for links to get a carrier.
    public var linkTimeout: Duration
    /// How long to keep retrying DHCP on an interface.
    public var dhcpTimeout: Duration
    /// How long one DHCP attempt (discover to ack) may take.
    public var attemptTimeout: Duration
    /// Where the lease's DNS servers go; nil leaves resolv.conf alone.
    public var resolvConfPath: String?
    /// Whether to set the hostname from the lease.
    public var setsHostname: Bool
    var sysfs = SysfsNetwork()
    let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - log: Receives one line per step.
    ///   - linkTimeout: Wait for the NIC and its carrier (default 1 min).
    ///   - dhcpTimeout: Retry DHCP this long per interface (default 5 min).
    ///   - attemptTimeout: One attempt's deadline (default 30 s).
    public init(
        log: @escaping @Sendable (String) -> Void, linkTimeout: Duration = .seconds(60), dhcpTimeout: Duration = .seconds(300),
        attemptTimeout: Duration = .seconds(30), resolvConfPath: String? = "/etc/resolv.conf", setsHostname: Bool = true
    ) {
        self.log = log
        self.linkTimeout = linkTimeout
        self.dhcpTimeout = dhcpTimeout
        self.attemptTimeout = attemptTimeout
        self.resolvConfPath = resolvConfPath
        self.setsHostname = setsHostname
    }

    /// Configures the NIC with `preferredMAC` if it comes up, else every NIC with a link, and
    /// returns the interfaces that got a lease. Throws when none did.
    public func configure(preferredMAC: String?) async throws -> [ConfiguredInterface] {
        if let preferredMAC {
            log("network: waiting up to \(Self.text(linkTimeout)) for the interface with MAC \(preferredMAC)")
            if let interface = try await waitForInterface({ sysfs.interface(mac: preferredMAC) }) {
                do {
                    return [try await configure(interface)]
                } catch let error as CancellationError {
                    throw error
                } catch {
                    log("network: \(interface.name): \(error); trying every interface with a link")
                }
            } else {
                log("network: no interface has MAC \(preferredMAC); trying every interface with a link")
            }
        }
        return try await configureAllWithLink()
    }

    /// Configures one interface by name (the `dhcp` probe command).
    public func configure(interfaceNamed name: String) async throws -> ConfiguredInterface {
        guard let interface = try await waitForInterface({ sysfs.interface(named: name) }) else {
            throw NetworkSetupError.noSuchInterface(name)
        }
        return try await configure(interface)
    }

    /// Brings `interface` up, waits for its carrier, gets a lease and applies it.
    func configure(_ interface: NetworkLink) async throws -> ConfiguredInterface {
        log("network: \(interface.name): bringing up \(interface.summary)")
        try LeaseApplier.bringUp(interface)
        guard try await waitForCarrier([interface]).contains(where: { $0.name == interface.name }) else {
            throw NetworkSetupError.noLink(waited: linkTimeout, interfaces: [interface.name])
        }
        return try await leaseAndApply(interface)
    }

    private func configureAllWithLink() async throws -> [ConfiguredInterface] {
        let all = sysfs.ethernetInterfaces()
        guard !all.isEmpty else { throw NetworkSetupError.noLink(waited: .zero, interfaces: []) }
        for interface in all {
            log("network: \(interface.name): bringing up \(interface.summary)")
            do { try LeaseApplier.bringUp(interface) } catch { log("network: \(interface.name): \(error)") }
        }
        let linked = try await waitForCarrier(all)
        guard !linked.isEmpty else { throw NetworkSetupError.noLink(waited: linkTimeout, interfaces: all.map(\.name)) }
        // All at once: each waits for its own server, and one slow NIC must not hold up the rest.
        let configured = await withTaskGroup(of: ConfiguredInterface?.self) { group in
            for interface in linked {
                group.addTask {
                    do { return try await leaseAndApply(interface) } catch {
                        log("network: \(interface.name): \(error)")
                        return nil
                    }
                }
            }
            var results: [ConfiguredInterface] = []
            for await result in group { if let result { results.append(result) } }
            return results.sorted { $0.name < $1.name }
        }
        try Task.checkCancellation()
        guard !configured.isEmpty else {
            throw NetworkSetupError.noLease("none of \(linked.map(\.name).joined(separator: ", ")) got a lease")
        }
        return configured
    }

    /// Polls until `find` returns an interface or `linkTimeout` passes.
    private func waitForInterface(_ find: () -> NetworkLink?) async throws -> NetworkLink? {
        let deadline = ContinuousClock.now + linkTimeout
        while true {
            if let interface = find() { return interface }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Waits until every one of `interfaces` has a carrier, or until some do and 5 s have passed
    /// since the first (others may simply have no cable), or `linkTimeout`. Returns those with one.
    private func waitForCarrier(_ interfaces: [NetworkLink]) async throws -> [NetworkLink] {
        let start = ContinuousClock.now
        var firstLink: ContinuousClock.Instant?
        while true {
            let current = interfaces.compactMap { sysfs.interface(named: $0.name) }
            let linked = current.filter(\.hasCarrier)
            if !linked.isEmpty, firstLink == nil { firstLink = .now }
            let settled = firstLink.map { ContinuousClock.now - $0 >= .seconds(5) } ?? false
            if linked.count == interfaces.count || settled || ContinuousClock.now - start >= linkTimeout {
                for interface in linked { log("network: \(interface.name): link is up") }
                for interface in current where !interface.hasCarrier { log("network: \(interface.name): no link (carrier), skipped") }
                return linked
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// DHCP attempts of `attemptTimeout` each until one gets a lease or `dhcpTimeout` passes.
    private func leaseAndApply(_ interface: NetworkLink) async throws -> ConfiguredInterface {
        guard let mac = MACAddress.parse(interface.mac) else {
            throw NetworkSetupError.noLease("\(interface.name) has no usable MAC address (\(interface.mac))")
        }
        let deadline = ContinuousClock.now + dhcpTimeout
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - ContinuousClock.now
            let configuration = DHCPClientConfiguration(
                hardwareAddress: mac, xid: Self.transactionID(mac: mac), deadline: min(attemptTimeout, max(remaining, .seconds(1))))
            log("network: \(interface.name): DHCP attempt \(attempt) (up to \(Self.text(configuration.deadline)))")
            do {
                let lease = try await DHCPExchange(interface: interface, configuration: configuration, log: log).run()
                try LeaseApplier(resolvConfPath: resolvConfPath, setsHostname: setsHostname, log: log).apply(lease, to: interface)
                let configured = ConfiguredInterface(name: interface.name, mac: interface.mac, lease: lease)
                log("network: \(interface.name): configured \(configured.address)" + (configured.router.map { " via \($0)" } ?? ""))
                return configured
            } catch let error as CancellationError {
                throw error
            } catch {
                guard ContinuousClock.now < deadline - .seconds(1) else {
                    throw NetworkSetupError.noLease("\(interface.name): gave up after \(attempt) attempts in \(Self.text(dhcpTimeout)); the last: \(error)")
                }
                log("network: \(interface.name): attempt \(attempt) failed: \(error); retrying")
                // A failure that came at once (a socket error) must not turn into a tight loop.
                try await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// A transaction id that differs per NIC and per attempt. Not from the system's random source:
    /// PID 1 in early boot must not block on the kernel's entropy pool for this.
    static func transactionID(mac: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        let nanoseconds = UInt64(truncatingIfNeeded: DispatchTime.now().uptimeNanoseconds)
        for byte in mac + withUnsafeBytes(of: nanoseconds, Array.init) { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// "30 s", "5 min": durations for log lines.
    static func text(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        let seconds = whole + (fraction >= 500_000_000_000_000_000 ? 1 : 0)
        return seconds >= 60 && seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}
#endif
