import AnvilResources

/// Request bodies of the agent API (`/api/v1/…`), the operations of Sidero's agent gRPC service.
struct RegisterRequest: Decodable {
    let uuid: String
    let hostname: String?
    let hardware: HardwareInformation?
}

struct AddressesRequest: Decodable {
    let addresses: [NodeAddress]
}

struct BMCInfoRequest: Decodable {
    let ip: String?
    let port: Int?
    let user: String?
    let pass: String?
}

/// `POST …/heartbeat`: an empty body, or the wipe's progress in percent.
struct HeartbeatRequest: Decodable {
    let progress: Double?
}
