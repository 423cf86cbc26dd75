import AnvilIPMI

/// Chassis commands (IPMI v2.0 spec §28): power state, power control and the boot override, all
/// mapped onto the `SimulatedChassis` through effects.
extension BMCMachine {
    /// Get Chassis Status; during the power-lie window (BMCFaults.powerLieSeconds) an off chassis
    /// still reads "on", as the BMCs behind Sidero PR #657 did.
    func chassisStatus(_ request: IPMIRequest, chassis: BMCChassisView, now: ContinuousClock.Instant) -> IPMIResponse {
        let lying = powerLieUntil.map { now < $0 } ?? false
        let on = chassis.isPoweredOn || lying
        // Power restore policy "always off" (bits 6:5 = 0); last power event "command" (bit 4).
        return IPMIResponse(answering: request, data: [on ? 0x01 : 0x00, 0x10, 0x00, 0x00])
    }

    mutating func chassisControl(
        _ request: IPMIRequest, chassis: BMCChassisView, now: ContinuousClock.Instant, effects: inout [BMCChassisEffect]
    ) -> IPMIResponse {
        guard let byte = request.data.first, let action = ChassisControlAction(rawValue: byte & 0x0F) else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.invalidDataField)
        }
        switch action {
        case .powerDown, .softShutdown:
            // ACPI soft-off: the simulated OS obeys at once.
            if chassis.isPoweredOn, powerLieSeconds > 0 {
                powerLieUntil = now + .milliseconds(Int64(powerLieSeconds * 1000))
            }
            effects.append(.powerOff)
        case .powerUp:
            powerLieUntil = nil
            effects.append(.powerOn)
        case .powerCycle:
            // Many BMCs refuse to cycle a machine that is off (Sidero #145); IPMIBackend then powers on.
            guard chassis.isPoweredOn else {
                return IPMIResponse(answering: request, completionCode: IPMICompletionCode.notSupportedInPresentState)
            }
            powerLieUntil = nil
            effects.append(.powerCycle)
        case .hardReset:
            guard chassis.isPoweredOn else {
                return IPMIResponse(answering: request, completionCode: IPMICompletionCode.notSupportedInPresentState)
            }
            effects.append(.reset)
        case .diagnosticInterrupt:
            break
        }
        return IPMIResponse(answering: request)
    }

    /// Set System Boot Options: parameters 0 (set in progress), 3 and 4 (the acknowledgements
    /// ipmitool and Anvil send around a change) and 5 (boot flags); others 0x80 "not supported".
    mutating func setBootOption(_ request: IPMIRequest, chassis: BMCChassisView, effects: inout [BMCChassisEffect]) -> IPMIResponse {
        guard let first = request.data.first else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.requestDataLengthInvalid)
        }
        let data = Array(request.data.dropFirst())
        let needed: Int = switch first & 0x7F {
        case 0, 3: 1
        case 4, BootFlags.parameter: 2
        default: 0
        }
        guard data.count >= needed else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.requestDataLengthInvalid)
        }
        switch first & 0x7F {
        case 0:
            boot.setInProgress = data[0] & 0x03
        case 3:
            boot.validBitClearing = data[0]
        case 4:
            // Mask, then data: only the masked bits change.
            boot.bootInfoAcknowledge = [data[0], (boot.bootInfoAcknowledge[1] & ~data[0]) | (data[1] & data[0])]
        case BootFlags.parameter:
            let valid = data[0] & 0x80 != 0
            let persistent = data[0] & 0x40 != 0
            boot.efi = data[0] & 0x20 != 0
            boot.flagsTail = Array((Array(data.dropFirst(2)) + [0, 0, 0]).prefix(3))
            // Only network and disk exist in the simulation; any other device clears the override,
            // so the firmware's boot order decides.
            let device: SimulatedBootDevice? = switch BootFlagsDevice(rawValue: data[1] & 0x3C) {
            case .pxe?: .network
            case .disk?: .disk
            default: nil
            }
            effects.append(.setNextBoot(valid ? device : nil, persistent: persistent))
        default:
            return IPMIResponse(answering: request, completionCode: 0x80)
        }
        return IPMIResponse(answering: request)
    }

    /// Get System Boot Options: parameter version 1, the parameter, its data (spec §28.13).
    func bootOption(_ request: IPMIRequest, chassis: BMCChassisView) -> IPMIResponse {
        guard let parameter = request.data.first.map({ $0 & 0x7F }) else {
            return IPMIResponse(answering: request, completionCode: IPMICompletionCode.requestDataLengthInvalid)
        }
        let data: [UInt8]
        switch parameter {
        case 0: data = [boot.setInProgress]
        case 3: data = [boot.validBitClearing]
        case 4: data = boot.bootInfoAcknowledge
        case BootFlags.parameter:
            // The override as the chassis holds it now: consumed at power-on unless persistent.
            if let device = chassis.nextBoot {
                let selector: BootFlagsDevice = device == .network ? .pxe : .disk
                var flags = BootFlags(valid: true, persistent: chassis.persistent, efi: boot.efi, device: selector).encode()
                flags.replaceSubrange(2..<5, with: boot.flagsTail)
                data = flags
            } else {
                data = [boot.efi ? 0x20 : 0x00, 0x00, 0x00, 0x00, 0x00]
            }
        default:
            return IPMIResponse(answering: request, completionCode: 0x80)
        }
        return IPMIResponse(answering: request, data: [0x01, parameter] + data)
    }
}
