import Hummingbird
import Prometheus

/// The HTTP routes every daemon serves: `/healthz` and Prometheus `/metrics`.
enum DaemonHTTP {
    static func addStandardRoutes(
        to router: Router<BasicRequestContext>, service: String, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () async -> Bool, beforeScrape: @escaping @Sendable () async -> Void
    ) {
        router.get("healthz") { _, _ -> Response in
            let healthy = await health()
            let body = healthy ? "{\"status\":\"ok\",\"service\":\"\(service)\"}\n" : "{\"status\":\"unhealthy\",\"service\":\"\(service)\"}\n"
            return Response(
                status: healthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("metrics") { _, _ -> Response in
            await beforeScrape()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
