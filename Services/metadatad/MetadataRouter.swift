import AnvilDaemon
import AnvilHTTPServer
import NIOCore

/// Dispatches metadatad's routes: `/configdata`, the agent API, `/healthz`, `/metrics`.
struct MetadataRouter: Sendable {
    static let routes = ["configdata", "agent", "healthz", "metrics", "other"]

    let configData: ConfigDataHandler
    let agent: AgentAPI
    let standard: DaemonStandardHTTP
    let metrics: HTTPRouteMetrics

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let started = ContinuousClock.now
        let (route, response) = await route(request)
        metrics.record(route: route, status: Int(response.status.code), took: ContinuousClock.now - started)
        return response
    }

    private func route(_ request: HTTPServerRequest) async -> (String, HTTPServerResponse) {
        let path = request.path
        if path.hasPrefix(AgentAPI.prefix) {
            return ("agent", await agent.respond(request, rest: path.dropFirst(AgentAPI.prefix.count)))
        }
        guard request.method == .GET || request.method == .HEAD else {
            var response = HTTPServerResponse.text(.methodNotAllowed, "\(request.method) not allowed on \(path.prefix(200))\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return ("other", response)
        }
        switch path {
        case "/configdata":
            return ("configdata", await configData.respond(request))
        case "/healthz", "/metrics":
            return (String(path.dropFirst()), await standard.response(for: path) ?? .text(.notFound, "no such path\n"))
        default:
            return ("other", .text(.notFound, "no such path: \(path.prefix(200)) (metadatad serves /configdata, \(AgentAPI.prefix)…, /healthz, /metrics)\n"))
        }
    }
}
