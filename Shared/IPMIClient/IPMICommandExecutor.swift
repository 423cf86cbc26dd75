import AnvilIPMI
import AnvilPower

/// Anything that carries one IPMI command to a BMC and brings back its answer: the RMCP+
/// ``IPMIClient`` out of band, the Linux `/dev/ipmi0` device in band, a fake in tests. The user
/// enrolment and LAN discovery run over this, so both paths share one implementation.
public protocol IPMICommandExecutor: Sendable {
    /// Where the commands go, for messages: "192.0.2.10:623", "/dev/ipmi0".
    var target: String { get }

    /// Sends one command and returns the BMC's answer whatever its completion code; `name`
    /// is used in error messages.
    func execute(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse
}

extension IPMIClient: IPMICommandExecutor {
    public nonisolated var target: String { endpoint.address }
}

extension IPMICommandExecutor {
    /// Sends the command and insists on completion code 0x00.
    func executeChecked(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        let response = try await execute(request, name: name)
        try IPMIErrorMapping.check(name, response, target: target)
        return response
    }

    /// Sends the command, insists on success and parses the answer with `body`.
    func executeParsed<T>(
        _ request: IPMIRequest, name: String, _ body: (IPMIResponse) throws -> T
    ) async throws(PowerError) -> T {
        let response = try await executeChecked(request, name: name)
        do {
            return try body(response)
        } catch {
            throw IPMIErrorMapping.error(error, step: name, target: target)
        }
    }
}
