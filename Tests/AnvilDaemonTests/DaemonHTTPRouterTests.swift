import AnvilHTTPServer
import NIOCore
import NIOHTTP1
import Prometheus
import Testing
@testable import AnvilDaemon

/// The one HTTP front every daemon has: routing, the method check, the 404, health and metrics.
@Suite struct DaemonHTTPRouterTests {
    let registry = PrometheusCollectorRegistry()

    private func router(healthy: Bool = true) -> DaemonHTTPRouter {
        let routes = [
            DaemonHTTPRoute("hello", .exact("/hello")) { _, _ in .text(.ok, "hi\n") },
            DaemonHTTPRoute("files", .prefix("/files/")) { _, rest in .text(.ok, "file \(rest)\n") },
            DaemonHTTPRoute("post", .prefix("/api/"), methods: [.POST]) { request, rest in .text(.created, "\(request.method) \(rest)\n") },
        ]
        return DaemonHTTPRouter(
            service: "testd", routes: routes,
            metrics: HTTPRouteMetrics(registry: registry, service: "testd", routes: DaemonHTTPRouter.routeNames(routes)),
            health: { healthy }, metricsText: { [UInt8]("metrics text\n".utf8) })
    }

    private func body(_ response: HTTPServerResponse) -> String {
        guard case .bytes(let buffer) = response.body else { return "" }
        return String(buffer: buffer)
    }

    @Test func exactAndPrefixRoutesGetTheRestOfThePath() async {
        let router = router()
        let hello = await router.respond(HTTPServerRequest(method: .GET, uri: "/hello?x=1"))
        #expect(hello.status == .ok)
        #expect(body(hello) == "hi\n")
        let file = await router.respond(HTTPServerRequest(method: .HEAD, uri: "/files/a/b.txt"))
        #expect(body(file) == "file a/b.txt\n")
        let posted = await router.respond(HTTPServerRequest(method: .POST, uri: "/api/v1/register"))
        #expect(posted.status == .created)
        #expect(body(posted) == "POST v1/register\n")
    }

    @Test func wrongMethodIs405WithAllow() async {
        let router = router()
        let refused = await router.respond(HTTPServerRequest(method: .GET, uri: "/api/v1/register"))
        #expect(refused.status == .methodNotAllowed)
        #expect(refused.headers["Allow"] == ["POST"])
        #expect(body(refused) == "GET not allowed on /api/v1/register: testd answers POST\n")
        let deleted = await router.respond(HTTPServerRequest(method: .DELETE, uri: "/hello"))
        #expect(deleted.headers["Allow"] == ["GET, HEAD"])
    }

    @Test func unknownPathNamesWhatIsServed() async {
        let response = await router().respond(HTTPServerRequest(method: .GET, uri: "/nope"))
        #expect(response.status == .notFound)
        #expect(body(response) == "no such path: /nope (testd serves /hello, /files/…, /api/…, /healthz, /metrics)\n")
        // "/hello/x" is not "/hello": exact routes match exactly.
        #expect(await router().respond(HTTPServerRequest(method: .GET, uri: "/hello/x")).status == .notFound)
    }

    @Test func healthzAndMetrics() async {
        let healthy = await router().respond(HTTPServerRequest(method: .GET, uri: "/healthz"))
        #expect(healthy.status == .ok)
        #expect(body(healthy) == "{\"status\":\"ok\",\"service\":\"testd\"}\n")
        #expect(healthy.headers["Content-Type"] == ["application/json"])
        let unhealthy = await router(healthy: false).respond(HTTPServerRequest(method: .GET, uri: "/healthz"))
        #expect(unhealthy.status == .serviceUnavailable)
        let metrics = await router().respond(HTTPServerRequest(method: .GET, uri: "/metrics"))
        #expect(body(metrics) == "metrics text\n")
    }

    @Test func everyRequestIsCountedByRouteAndOutcome() async {
        let router = router()
        _ = await router.respond(HTTPServerRequest(method: .GET, uri: "/hello"))
        _ = await router.respond(HTTPServerRequest(method: .GET, uri: "/hello"))
        _ = await router.respond(HTTPServerRequest(method: .GET, uri: "/api/x"))
        _ = await router.respond(HTTPServerRequest(method: .GET, uri: "/nope"))
        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"anvil_http_requests_total{service="testd",route="hello",outcome="2xx"} 2"#))
        #expect(text.contains(#"anvil_http_requests_total{service="testd",route="post",outcome="4xx"} 1"#))
        #expect(text.contains(#"anvil_http_requests_total{service="testd",route="other",outcome="4xx"} 1"#))
        #expect(text.contains(#"anvil_http_served_bytes_total{service="testd"}"#))
        #expect(text.contains(#"anvil_http_request_duration_seconds_count{service="testd"} 4"#))
    }
}
