/// One thing to do for a power action.
enum RedfishResetStep: Sendable, Hashable {
    /// POST `ComputerSystem.Reset` with this ResetType.
    case reset(String)
    /// Poll the power state until the system is off.
    case waitUntilOff
}

/// Maps a `PowerAction` to Redfish ResetTypes (DSP2046 ResetType), using only the values the
/// system offers. Pure, so every fallback is testable without a BMC.
enum RedfishResetPlan {
    /// - Parameters:
    ///   - poweredOn: the system's state now.
    ///   - offered: the system's allowable ResetTypes; nil when it does not say, and then any is tried.
    static func steps(for action: PowerAction, poweredOn: Bool, offered: [String]?) throws(PowerError) -> [RedfishResetStep] {
        func offers(_ type: String) -> Bool { offered?.contains(type) ?? true }
        func first(_ choices: [String], for what: String) throws(PowerError) -> String {
            guard let type = choices.first(where: offers) else {
                let list = (offered ?? []).joined(separator: ", ")
                throw .notSupported(
                    "the system offers no ResetType for \(what) (wanted \(choices.joined(separator: " or ")); it offers \(list.isEmpty ? "none" : list))")
            }
            return type
        }
        switch action {
        case .on:
            // Already on: nothing to do (some BMCs refuse On for a running system).
            return poweredOn ? [] : [.reset(try first(["On", "ForceOn"], for: "power on"))]
        case .off:
            return poweredOn ? [.reset(try first(["ForceOff"], for: "power off"))] : []
        case .softOff:
            return poweredOn ? [.reset(try first(["GracefulShutdown"], for: "soft power-off"))] : []
        case .reset:
            return [.reset(try first(["ForceRestart"], for: "reset"))]
        case .cycle:
            // Sidero #145: a cycle of a machine that is off powers it on.
            guard poweredOn else { return [.reset(try first(["On", "ForceOn"], for: "power on"))] }
            if offers("PowerCycle") { return [.reset("PowerCycle")] }
            let off = try first(["ForceOff"], for: "power cycle (off half)")
            let on = try first(["On", "ForceOn"], for: "power cycle (on half)")
            return [.reset(off), .waitUntilOff, .reset(on)]
        }
    }
}
