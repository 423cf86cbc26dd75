/// Sidero's `managementApi.endpoint`: `host:port`, no scheme (the API is plain HTTP).
struct ManagementAPIEndpoint: Sendable, Hashable {
    let host: String
    let port: Int

    /// Accepts `name:port`, `1.2.3.4:port` and `[v6]:port`; anything else names the bad value.
    init(parsing text: String) throws(PowerError) {
        func bad(_ why: String) -> PowerError {
            .invalidConfiguration("management API endpoint \"\(text)\" is not host:port: \(why)")
        }
        guard !text.isEmpty else { throw bad("it is empty") }
        guard !text.contains("://"), !text.contains("/") else { throw bad("give host:port without scheme or path") }
        guard let colon = text.lastIndex(of: ":") else { throw bad("the port is missing") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw bad("unbalanced brackets") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw bad("an IPv6 address must be written in brackets, [::1]:8000")
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { throw bad("the host is missing") }
        guard portText.allSatisfy(\.isASCII), let port = Int(portText), (1...65535).contains(port) else {
            throw bad("the port must be a number from 1 to 65535")
        }
        self.host = host
        self.port = port
    }

    /// `http://host:port/path`, IPv6 hosts back in brackets.
    func url(_ path: String) -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)\(path)"
    }
}
