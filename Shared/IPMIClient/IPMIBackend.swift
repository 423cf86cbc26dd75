import AnvilIPMI
import AnvilPower

/// The IPMI power back-end: power and boot-device commands over one reused ``IPMIClient``.
public struct IPMIBackend: PowerBackend {
    public let client: IPMIClient

    public init(client: IPMIClient) {
        self.client = client
    }

    public func powerState() async throws(PowerError) -> Bool {
        let response = try await client.execute(GetChassisStatus.request(), name: "Get Chassis Status")
        return try parse("Get Chassis Status", response) { try GetChassisStatus.parse($0) }.powerOn
    }

    public func power(_ action: PowerAction) async throws(PowerError) {
        let control: ChassisControlAction = switch action {
        case .on: .powerUp
        case .off: .powerDown
        case .cycle: .powerCycle
        case .reset: .hardReset
        case .softOff: .softShutdown
        }
        let response = try await client.execute(ChassisControl.request(control), name: "Chassis Control (\(action.rawValue))")
        if action == .cycle && response.completionCode == IPMICompletionCode.notSupportedInPresentState {
            // A powered-off machine cannot be cycled on many BMCs (Sidero #145): power it on.
            let on = try await client.execute(ChassisControl.request(.powerUp), name: "Chassis Control (on, for a cycle while off)")
            try check("Chassis Control (on)", on)
            return
        }
        try check("Chassis Control (\(action.rawValue))", response)
    }

    /// ipmitool's sequence (spec §28.12): set in progress, clear the boot-info acknowledge, boot
    /// flags, commit, set complete. Only the flags themselves must succeed: many BMCs refuse the
    /// bookkeeping parameters.
    public func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError) {
        let flags = BootFlags(
            valid: true, persistent: request.persistent, efi: request.mode == .uefi,
            device: request.device == .pxe ? .pxe : .disk)
        _ = try await client.execute(SetSystemBootOptions.setInProgress(.setInProgress), name: "Set System Boot Options (set in progress)")
        _ = try await client.execute(SetSystemBootOptions.clearBootInfoAcknowledge(), name: "Set System Boot Options (boot info acknowledge)")
        let set = try await client.execute(SetSystemBootOptions.bootFlags(flags), name: "Set System Boot Options (boot flags)")
        try check("Set System Boot Options (boot flags)", set)
        _ = try await client.execute(SetSystemBootOptions.setInProgress(.commitWrite), name: "Set System Boot Options (commit)")
        _ = try await client.execute(SetSystemBootOptions.setInProgress(.setComplete), name: "Set System Boot Options (set complete)")
    }

    /// The boot flags the BMC holds now.
    public func bootFlags() async throws(PowerError) -> BootFlags {
        let response = try await client.execute(GetSystemBootOptions.request(parameter: 5), name: "Get System Boot Options (boot flags)")
        return try parse("Get System Boot Options", response) { response in
            try BootFlags.decode(GetSystemBootOptions.parse(response).data)
        }
    }

    public func info() async throws(PowerError) -> [String: String] {
        let response = try await client.execute(GetDeviceID.request(), name: "Get Device ID")
        let device = try parse("Get Device ID", response) { try GetDeviceID.parse($0) }
        var info: [String: String] = [
            "kind": "ipmi",
            "endpoint": client.endpoint.address,
            "deviceId": "\(device.deviceID)",
            "deviceRevision": "\(device.deviceRevision)",
            "firmware": "\(device.firmwareMajor).\(device.firmwareMinor)",
            "ipmiVersion": device.ipmiVersion,
            "manufacturerId": "\(device.manufacturerID)",
            "productId": "\(device.productID)",
        ]
        // The BMC's own idea of its LAN address (what Sidero's agent reads in-band); not every
        // BMC answers on channel 1, so this is best effort.
        if let ip = try? await client.execute(
            GetLANConfigurationParameters.request(channel: 1, parameter: GetLANConfigurationParameters.ipAddressParameter),
            name: "Get LAN Configuration Parameters (IP)"),
           let address = try? GetLANConfigurationParameters.ipAddress(from: ip) {
            info["lanAddress"] = address
        }
        if let port = try? await client.execute(
            GetLANConfigurationParameters.request(channel: 1, parameter: GetLANConfigurationParameters.primaryRMCPPortParameter),
            name: "Get LAN Configuration Parameters (port)"),
           let number = try? GetLANConfigurationParameters.primaryRMCPPort(from: port) {
            info["lanPort"] = "\(number)"
        }
        if let session = await client.sessionDescription {
            info["cipherSuite"] = "\(session.cipherSuite)"
            info["privilege"] = "\(session.privilege)"
        }
        info["sessionsEstablished"] = "\(await client.sessionsEstablished)"
        return info
    }

    public func shutdown() async {
        await client.close()
    }

    func check(_ name: String, _ response: IPMIResponse) throws(PowerError) {
        guard response.completionCode == IPMICompletionCode.success else {
            throw IPMIErrorMapping.error(completionCode: response.completionCode, command: name, endpoint: client.endpoint)
        }
    }

    func parse<T>(_ name: String, _ response: IPMIResponse, _ body: (IPMIResponse) throws -> T) throws(PowerError) -> T {
        try check(name, response)
        do {
            return try body(response)
        } catch {
            throw IPMIClient.powerError(error, endpoint: client.endpoint, step: name)
        }
    }
}
