import Testing
@testable import AnvilPower

/// The reason names are an interface: they are the Server's BMCReady condition reasons and the
/// bus errors' `data.reason`.
@Test func powerErrorsNameStableReasons() {
    #expect(PowerError.unreachable("x").reason == "Unreachable")
    #expect(PowerError.authenticationFailed("x").reason == "AuthenticationFailed")
    #expect(PowerError.insufficientPrivilege("x").reason == "InsufficientPrivilege")
    #expect(PowerError.notSupported("x").reason == "NotSupported")
    #expect(PowerError.protocolError("x").reason == "ProtocolError")
    #expect(PowerError.invalidConfiguration("x").reason == "InvalidConfiguration")
    #expect(PowerError.deadlineExceeded("x").reason == "DeadlineExceeded")
    #expect(PowerError.authenticationFailed("wrong password").description == "BMC authentication failed: wrong password")
}
