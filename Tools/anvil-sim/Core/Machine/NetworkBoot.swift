import AnvilAgent
import Foundation

/// One network boot: ask bootd's `/ipxe` (as boot.ipxe's chain line does, Shared/Boot/IPXEScript.swift),
/// retry a bad answer like boot.ipxe's loop, and run what it says.
struct NetworkBoot {
    enum Result { case done, nextDevice, sanboot }

    let machine: SimulatedMachine
    let http: MachineHTTPClient
    let wire: MachineNetworkIdentity

    func run() async -> Result {
        machine.record.enter(.pxe)
        let timings = machine.timings
        for attempt in 1...max(1, timings.attempts) {
            if Task.isCancelled { return .done }
            do {
                let answer = try await ask()
                switch answer {
                case .exit:
                    machine.log("pxe: bootd says exit; next boot device")
                    return .nextDevice
                case .sanboot:
                    machine.log("pxe: bootd says sanboot")
                    return .sanboot
                case .kernel(let path, let arguments, _):
                    switch answer.environment {
                    case .agent(let endpoint):
                        machine.log("pxe: booting the agent \(path) (agent API \(endpoint))")
                        await AgentBoot(machine: machine, http: http, wire: wire, endpoint: endpoint, arguments: arguments).run()
                        return .done
                    case .target(let configURL):
                        machine.log("pxe: booting the target \(path)")
                        await TargetBoot(machine: machine, http: http, wire: wire, kernel: path, configURL: configURL, arguments: arguments).run()
                        return .done
                    case .unknown, nil:
                        throw IPXEScriptError("kernel \(path) has neither anvil.endpoint nor talos.config")
                    }
                }
            } catch is CancellationError {
                return .done
            } catch {
                if Task.isCancelled { return .done }
                machine.log("pxe: attempt \(attempt)/\(timings.attempts) failed: \(error); retrying in \(timings.retry)")
                do { try await Task.sleep(for: timings.retry) } catch { return .done }
            }
        }
        machine.record.enter(.failed)
        await machine.finish(powerOff: false, after: .zero, "pxe: no usable answer after \(timings.attempts) attempts")
        return .done
    }

    private func ask() async throws -> IPXEAnswer {
        let identity = machine.identity
        var url = "\(machine.bootd)/ipxe?uuid=\(wire.uuid)&mac=\(wire.bootMACHyphenated)&domain=&hostname=&serial=\(identity.serial)&arch=x86_64"
        if machine.fetchBootScript {
            // As iPXE from DHCP's boot file name: /boot.ipxe first, then the URL its chain line names.
            let script = try await http.get("\(machine.bootd)/boot.ipxe")
            guard script.isSuccess else { throw IPXEScriptError("/boot.ipxe answered HTTP \(script.status)") }
            url = BootScriptChain.expand(
                try BootScriptChain.chainURL(in: script.body), uuid: wire.uuid, macHyphenated: wire.bootMACHyphenated, serial: identity.serial)
        }
        let response = try await http.get(url)
        guard response.isSuccess else {
            throw IPXEScriptError("/ipxe answered HTTP \(response.status): \(response.body.prefix(200).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return try IPXEScriptParser.parse(response.body)
    }
}
