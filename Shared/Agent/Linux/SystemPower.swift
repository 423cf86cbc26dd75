#if canImport(Glibc)
import Glibc
#endif

/// The agent's last act: `reboot(2)`, after syncing. As PID 1 there is nobody else to ask.
public enum SystemPower {
    public enum Action: String, Sendable {
        case reboot
        case powerOff = "power off"
    }

    // linux/reboot.h: LINUX_REBOOT_CMD_RESTART and LINUX_REBOOT_CMD_POWER_OFF.
    static let restart: Int32 = 0x0123_4567
    static let powerOff = Int32(bitPattern: 0x4321_FEDC)

    /// Returns only if the kernel refused (not PID 1 or no CAP_SYS_BOOT), with the reason.
    public static func perform(_ action: Action) -> String {
        sync()
        // glibc's reboot(2) wrapper is not in Swift's Glibc module (sys/reboot.h is not part of it).
        guard let symbol = dlsym(nil, "reboot") else { return "reboot() not found" }
        let call = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        return call(action == .reboot ? restart : powerOff) == 0 ? "" : String(cString: strerror(errno))
    }
}
