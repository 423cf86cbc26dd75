/// What distinguishes one daemon executable from another in the shared skeleton.
public struct DaemonDescriptor: Sendable {
    public let name: String
    public let summary: String
    /// Default port of its HTTP listener (/healthz, /metrics, and its own endpoints).
    public let defaultHTTPPort: Int
    /// bootd's listener is Sidero's "container API port".
    public let httpPortAliasesSidero: Bool
    /// Replicas share the HTTP port (SO_REUSEPORT): bootd and metadatad scale out behind one port.
    public let httpReusePort: Bool
    /// What service.info says the daemon does.
    public let workStatus: String

    public init(
        name: String, summary: String, defaultHTTPPort: Int, httpPortAliasesSidero: Bool = false, httpReusePort: Bool = false,
        workStatus: String
    ) {
        self.name = name
        self.summary = summary
        self.defaultHTTPPort = defaultHTTPPort
        self.httpPortAliasesSidero = httpPortAliasesSidero
        self.httpReusePort = httpReusePort
        self.workStatus = workStatus
    }
}

extension DaemonDescriptor {
    public static let tftpd = DaemonDescriptor(
        name: "tftpd", summary: "TFTP for PXE firmware (UDP 69, 6969 locally)", defaultHTTPPort: 9069,
        workStatus: "serving TFTP (RFC 1350/2347/2348/2349/7440)")
    public static let bootd = DaemonDescriptor(
        name: "bootd", summary: "iPXE scripts, environment assets and /tftp over HTTP", defaultHTTPPort: 8081,
        httpPortAliasesSidero: true, httpReusePort: true,
        workStatus: "serving /boot.ipxe, /ipxe decisions, /env assets and /tftp over HTTP")
    public static let metadatad = DaemonDescriptor(
        name: "metadatad", summary: "/configdata and the agent API", defaultHTTPPort: 8082, httpReusePort: true,
        workStatus: "serving /configdata and the agent API")
    public static let bmcd = DaemonDescriptor(
        name: "bmcd", summary: "power through IPMI, the management API and Redfish", defaultHTTPPort: 9623,
        workStatus: "power and boot device through IPMI (RMCP+), Redfish and the management API")
    public static let reconciler = DaemonDescriptor(
        name: "reconciler", summary: "the Environment asset controller and change-feed compaction (one active at a time)",
        defaultHTTPPort: 9080,
        workStatus: "downloading Environment assets and compacting the change feed")

    public static let all: [DaemonDescriptor] = [tftpd, bootd, metadatad, bmcd, reconciler]
}
