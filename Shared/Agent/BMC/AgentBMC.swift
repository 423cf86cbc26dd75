import Foundation

/// The agent's BMC step (docs/agent.md "Steps" 5): wait briefly for `/dev/ipmi0` (ipmi_si probes
/// after the modules load), then set up user `sidero` in band. nil when there is no BMC.
public enum AgentBMC {
    public static func setUp(log: @escaping @Sendable (String) -> Void) async -> BMCReport? {
        let path = "/dev/ipmi0"
        let end = ContinuousClock.now + .seconds(15)
        while !FileManager.default.fileExists(atPath: path), ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(200))
        }
        let device: IPMIDevice
        do {
            device = try IPMIDevice(path: path)
        } catch {
            log("bmc: \(error)")
            return nil
        }
        let report = await InBandBMCSetup().run(executor: device, log: { log($0) })
        await device.close()
        return report
    }
}
