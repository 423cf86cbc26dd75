import Testing

@testable import AnvilPower

@Suite struct ManagementAPIEndpointTests {
    @Test(arguments: [
        ("127.0.0.1:8000", "127.0.0.1", 8000),
        ("qemu-host:9", "qemu-host", 9),
        ("[::1]:65535", "::1", 65535),
    ])
    func acceptsHostAndPort(text: String, host: String, port: Int) throws {
        let endpoint = try ManagementAPIEndpoint(parsing: text)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
    }

    @Test func buildsURLs() throws {
        #expect(try ManagementAPIEndpoint(parsing: "127.0.0.1:8000").url("/status") == "http://127.0.0.1:8000/status")
        #expect(try ManagementAPIEndpoint(parsing: "[::1]:8000").url("/status") == "http://[::1]:8000/status")
    }

    @Test(arguments: ["", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "http://127.0.0.1:8000",
                      "127.0.0.1:80a", ":8000", "::1:8000", "host:8000/path"])
    func refusesAnythingElseNamingTheValue(text: String) {
        #expect {
            try ManagementAPIEndpoint(parsing: text)
        } throws: { error in
            guard case .invalidConfiguration(let message) = error as? PowerError else { return false }
            return message.contains("\"\(text)\"")
        }
    }

    @Test func backendRefusesABadEndpoint() {
        #expect(throws: PowerError.invalidConfiguration(
            "management API endpoint \"10.0.0.1\" is not host:port: the port is missing")) {
            _ = try ManagementAPIBackend(endpoint: "10.0.0.1")
        }
    }
}
