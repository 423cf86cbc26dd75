/// Kernel, initrd and kernel arguments to network-boot (metal.sidero.dev/v1alpha2).
public struct Environment: SpecStatusResource {
    public static let resourceKind = ResourceKinds.environment
    /// The environment used when neither the Server nor its ServerClass names one.
    public static let defaultName = "default"

    public var metadata: ObjectMeta
    public var spec: EnvironmentSpec
    public var status: EnvironmentStatus

    public init(
        metadata: ObjectMeta, spec: EnvironmentSpec = EnvironmentSpec(), status: EnvironmentStatus = EnvironmentStatus()
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Sidero's `IsReady()`: every non-empty asset URL has a Ready=True condition for that URL.
    public var isReady: Bool {
        let urls = [spec.kernel?.url, spec.initrd?.url].compactMap { $0 }.filter { !$0.isEmpty }
        let ready = Set((status.conditions ?? []).filter { $0.type == "Ready" && $0.status == "True" }.compactMap(\.url))
        return urls.allSatisfy(ready.contains)
    }
}

public struct EnvironmentSpec: Codable, Sendable, Hashable {
    public var kernel: Kernel?
    public var initrd: Initrd?

    public init(kernel: Kernel? = nil, initrd: Initrd? = nil) {
        self.kernel = kernel
        self.initrd = initrd
    }
}

public struct Kernel: Codable, Sendable, Hashable {
    public var url: String?
    /// 128 hex digits; Anvil verifies it (Sidero did not).
    public var sha512: String?
    public var args: [String]?

    public init(url: String? = nil, sha512: String? = nil, args: [String]? = nil) {
        self.url = url
        self.sha512 = sha512
        self.args = args
    }
}

public struct Initrd: Codable, Sendable, Hashable {
    public var url: String?
    public var sha512: String?

    public init(url: String? = nil, sha512: String? = nil) {
        self.url = url
        self.sha512 = sha512
    }
}

public struct EnvironmentStatus: Codable, Sendable, Hashable {
    public var conditions: [AssetCondition]?

    public init(conditions: [AssetCondition]? = nil) {
        self.conditions = conditions
    }
}

/// Readiness of one asset: `{url, sha512, type: Ready, status: "True"|"False", reason, message,
/// lastTransitionTime}`, the last three like every other condition (lastTransitionTime changes
/// only when status does).
public struct AssetCondition: Codable, Sendable, Hashable {
    public var url: String?
    public var sha512: String?
    public var type: String
    public var status: String
    /// CamelCase, e.g. `Fetching`, `FetchFailed`, `Fetched`.
    public var reason: String?
    public var message: String?
    /// RFC 3339 time of the last change of `status`.
    public var lastTransitionTime: String?

    public init(
        url: String? = nil, sha512: String? = nil, type: String = "Ready", status: String,
        reason: String? = nil, message: String? = nil, lastTransitionTime: String? = nil
    ) {
        self.url = url
        self.sha512 = sha512
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}
