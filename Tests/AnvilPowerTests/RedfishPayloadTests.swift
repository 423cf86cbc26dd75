import AnvilJSON
import Testing

@testable import AnvilPower

/// The system resource as read, and the boot override PATCH body built from it.
@Suite struct RedfishPayloadTests {
    static func system(_ json: JSONValue) throws -> RedfishSystem {
        RedfishSystem(link: "/redfish/v1/Systems/1", json: json, etag: nil)
    }

    static let uefiSystem: JSONValue = [
        "Id": "1", "PowerState": "On", "Manufacturer": "Contoso", "Model": "X1", "SerialNumber": "S1",
        "BiosVersion": "2.1",
        "Boot": ["BootSourceOverrideMode": "UEFI", "BootSourceOverrideTarget@Redfish.AllowableValues": ["Pxe", "Hdd"]],
        "Actions": ["#ComputerSystem.Reset": ["target": "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
                                              "@Redfish.ActionInfo": "/redfish/v1/Systems/1/ResetActionInfo"]],
    ]

    @Test func bootOverrideOnceInUEFI() throws {
        let body = try RedfishBootOverride.body(
            for: BootDeviceRequest(device: .pxe, mode: .uefi, persistent: false), system: Self.system(Self.uefiSystem))
        #expect(body == ["Boot": ["BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once",
                                  "BootSourceOverrideMode": "UEFI"]])
    }

    @Test func bootOverrideContinuousFromDiskInLegacy() throws {
        let body = try RedfishBootOverride.body(
            for: BootDeviceRequest(device: .disk, mode: .bios, persistent: true), system: Self.system(Self.uefiSystem))
        #expect(body == ["Boot": ["BootSourceOverrideTarget": "Hdd", "BootSourceOverrideEnabled": "Continuous",
                                  "BootSourceOverrideMode": "Legacy"]])
    }

    @Test func modeLeftOutWhenTheSystemHasNone() throws {
        let system = try Self.system(["PowerState": "Off", "Boot": ["BootSourceOverrideTarget": "None"]])
        let body = try RedfishBootOverride.body(for: BootDeviceRequest(device: .pxe), system: system)
        #expect(body == ["Boot": ["BootSourceOverrideTarget": "Pxe", "BootSourceOverrideEnabled": "Once"]])
    }

    @Test func aTargetTheSystemDoesNotOfferIsNotSupported() throws {
        let system = try Self.system(["Boot": ["BootSourceOverrideTarget@Redfish.AllowableValues": ["Cd", "Hdd"]]])
        #expect(throws: PowerError.notSupported("system /redfish/v1/Systems/1 cannot boot from Pxe; it offers Cd, Hdd")) {
            try RedfishBootOverride.body(for: BootDeviceRequest(device: .pxe), system: system)
        }
    }

    @Test func readsPowerStateActionAndFacts() throws {
        let system = try Self.system(Self.uefiSystem)
        #expect(try system.isPoweredOn())
        #expect(try system.resetTarget() == "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset")
        #expect(system.inlineResetTypes == nil)
        #expect(system.resetActionInfoLink == "/redfish/v1/Systems/1/ResetActionInfo")
        #expect(system.facts == ["manufacturer": "Contoso", "model": "X1", "serialNumber": "S1", "powerState": "On",
                                 "biosVersion": "2.1", "systemId": "1"])
    }

    @Test(arguments: [("On", true), ("PoweringOff", true), ("Paused", true), ("Off", false), ("PoweringOn", false)])
    func powerStates(text: String, on: Bool) throws {
        #expect(try Self.system(["PowerState": .string(text)]).isPoweredOn() == on)
    }

    @Test func anUnknownPowerStateIsAProtocolError() throws {
        #expect(throws: PowerError.protocolError("system /redfish/v1/Systems/1 has an unknown PowerState \"Sleeping\"")) {
            try Self.system(["PowerState": "Sleeping"]).isPoweredOn()
        }
    }

    @Test func resetTypesFromActionInfo() {
        let info: JSONValue = ["Parameters": [["Name": "ResetType", "AllowableValues": ["On", "ForceOff"]]]]
        #expect(RedfishSystem.resetTypes(fromActionInfo: info) == ["On", "ForceOff"])
    }

    @Test func theBMCsMessageComesFromExtendedInfoElseMessage() {
        let extended: JSONValue = ["error": ["code": "Base.1.0.GeneralError", "message": "See ExtendedInfo",
                                             "@Message.ExtendedInfo": [["Message": "Wrong password."]]]]
        #expect(RedfishErrorMessage.from(extended) == "Wrong password.")
        let plain: JSONValue = ["error": ["message": "Incorrect username or password",
                                          "@Message.ExtendedInfo": [["MessageId": "Base.1.0.GeneralError"]]]]
        #expect(RedfishErrorMessage.from(plain) == "Incorrect username or password")
        #expect(RedfishErrorMessage.from(nil) == nil)
    }
}

@Suite struct RedfishLocatorAndEndpointTests {
    static let two = ["/redfish/v1/Systems/a", "/redfish/v1/Systems/b/"]

    @Test func choosesTheConfiguredOrTheOnlySystem() throws {
        #expect(try RedfishSystemLocator.choose(from: Self.two, systemId: "b") == "/redfish/v1/Systems/b/")
        #expect(try RedfishSystemLocator.choose(from: ["/redfish/v1/Systems/x"], systemId: nil) == "/redfish/v1/Systems/x")
    }

    @Test func severalSystemsAndNoneConfiguredListsThem() {
        #expect(throws: PowerError.invalidConfiguration(
            "the BMC has several systems (a, b); set systemId to one of them")) {
            try RedfishSystemLocator.choose(from: Self.two, systemId: nil)
        }
        #expect(throws: PowerError.invalidConfiguration("Redfish system \"c\" is not on this BMC; it has: a, b")) {
            try RedfishSystemLocator.choose(from: Self.two, systemId: "c")
        }
    }

    @Test(arguments: [
        ("https://10.0.0.5", "https://10.0.0.5"), ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("HTTPS://bmc.example:8443", "https://bmc.example:8443"), ("https://[::1]:443", "https://[::1]:443"),
    ])
    func endpointsKeepTheirOrigin(text: String, origin: String) throws {
        let endpoint = try RedfishEndpoint(parsing: text)
        #expect(endpoint.origin == origin)
        #expect(endpoint.url("/redfish/v1/Systems") == origin + "/redfish/v1/Systems")
    }

    @Test(arguments: ["10.0.0.5", "ftp://10.0.0.5", "https://", "https://10.0.0.5/redfish/v1", "https://h?x=1", ""])
    func badEndpointsAreNamed(text: String) {
        #expect {
            try RedfishEndpoint(parsing: text)
        } throws: { error in
            guard case .invalidConfiguration(let message) = error as? PowerError else { return false }
            return message.hasPrefix("Redfish endpoint \"\(text)\" ")
        }
    }

    @Test func sessionAuthenticationNeedsAUser() {
        #expect(throws: PowerError.invalidConfiguration("Redfish session authentication needs a user")) {
            _ = try RedfishBackend(configuration: RedfishConfiguration(endpoint: "https://127.0.0.1"))
        }
    }
}

@Test func aConfigurationPrintsWithoutItsPassword() {
    let configuration = RedfishConfiguration(
        endpoint: "https://127.0.0.1", user: "root", password: "calvin", insecureSkipVerify: true)
    #expect("\(configuration)" == "Redfish https://127.0.0.1 system (the only one) user \"root\" auth session insecureSkipVerify timeout 10 s")
}
