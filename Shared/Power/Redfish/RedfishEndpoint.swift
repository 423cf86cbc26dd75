import Foundation

/// The service's origin (`scheme://host:port`), which every Redfish path hangs from.
struct RedfishEndpoint: Sendable, Hashable {
    let origin: String
    let isHTTPS: Bool

    /// Accepts an http or https URL with a host and no path beyond "/"; otherwise names the bad value.
    init(parsing text: String) throws(PowerError) {
        func bad(_ why: String) -> PowerError {
            .invalidConfiguration("Redfish endpoint \"\(text)\" \(why)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw bad("is not a URL such as https://10.0.0.5")
        }
        guard scheme == "https" || scheme == "http" else { throw bad("must start with https:// or http://") }
        guard let host = components.host, !host.isEmpty else { throw bad("has no host") }
        guard components.path.isEmpty || components.path == "/" else {
            throw bad("must not have a path: the service is always under /redfish/v1")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw bad("must not have a query, fragment or user part")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw bad("has a port outside 1-65535")
        }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        origin = "\(scheme)://\(shownHost)" + (components.port.map { ":\($0)" } ?? "")
        isHTTPS = scheme == "https"
    }

    /// The absolute URL of a service path; a link that is already absolute is kept.
    func url(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return origin + (path.hasPrefix("/") ? path : "/" + path)
    }
}
