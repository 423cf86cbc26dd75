import AnvilIPMIClient
import AnvilPower

/// How bmcd reaches one Server's power control, resolved from its spec and Secrets. Hashable:
/// a change of endpoint or credentials means a new back-end (and session).
enum PowerTarget: Sendable, Hashable {
    case ipmi(IPMIEndpoint)
    case managementAPI(endpoint: String)
    case redfish(RedfishConfiguration)
    /// `--fake-power`: simulated in memory (FakePowerMachines).
    case fake(server: String)

    var kind: String {
        switch self {
        case .ipmi: "ipmi"
        case .managementAPI: "managementApi"
        case .redfish: "redfish"
        case .fake: "fake"
        }
    }
}
