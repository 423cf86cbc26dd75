import AnvilIPMI
import AnvilPower

extension IPMIBackend {
    /// Enrols the user over this back-end's RMCP+ session (see ``IPMIUserEnrolment``) and
    /// returns the user ID that now holds it.
    public func setupUser(_ setup: IPMIUserSetup) async throws(PowerError) -> UInt8 {
        try await IPMIUserEnrolment(executor: client).enrol(setup).userID
    }
}
