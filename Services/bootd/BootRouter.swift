import AnvilDaemon
import AnvilHTTPServer
import NIOCore
import NIOHTTP1

/// Dispatches bootd's routes and counts every request by route and status class.
struct BootRouter: Sendable {
    let ipxe: IPXEHandler
    let environmentAssets: EnvironmentAssetHandler
    let tftpRoot: TFTPRootHandler
    let standard: DaemonStandardHTTP
    let metrics: BootMetrics
    /// `/boot.ipxe` depends only on the settings: rendered once.
    let bootScript: HTTPServerResponse

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let started = ContinuousClock.now
        let (route, response) = await route(request)
        metrics.requests.record(route: route, status: Int(response.status.code), took: ContinuousClock.now - started)
        if request.method != .HEAD { metrics.bytes.increment(by: Int64(response.contentLength)) }
        return response
    }

    private func route(_ request: HTTPServerRequest) async -> (String, HTTPServerResponse) {
        let path = request.path
        guard request.method == .GET || request.method == .HEAD else {
            var response = BootResponses.error(.methodNotAllowed, "\(request.method) not allowed: bootd answers GET and HEAD")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return ("other", response)
        }
        switch path {
        case "/boot.ipxe":
            return ("boot.ipxe", bootScript)
        case "/ipxe":
            return ("ipxe", await ipxe.respond(request))
        case "/healthz", "/metrics":
            return (String(path.dropFirst()), await standard.response(for: path) ?? .text(.notFound, "no such path\n"))
        default:
            if path.hasPrefix("/env/") {
                return ("env", await environmentAssets.respond(request, rest: path.dropFirst("/env/".count)))
            }
            if path.hasPrefix("/tftp/") {
                return ("tftp", tftpRoot.respond(request, rest: path.dropFirst("/tftp/".count)))
            }
            return ("other", BootResponses.error(.notFound, "no such path: \(path.prefix(200)) (bootd serves /boot.ipxe, /ipxe, /env/, /tftp/, /healthz, /metrics)"))
        }
    }
}
