import AnvilResources

/// What one ServerClass reconcile is about: `class/<name>` (a ServerClass changed: recompute it
/// over the cached servers) or `server/<uuid>` (a Server changed: re-read it and place it in
/// every class). Opaque strings to the controller runtime.
enum ServerClassKey: Hashable, Sendable {
    case serverClass(String)
    case server(String)

    static let classPrefix = "class/"
    static let serverPrefix = "server/"

    init?(_ key: String) {
        if key.hasPrefix(Self.classPrefix), key.count > Self.classPrefix.count {
            self = .serverClass(String(key.dropFirst(Self.classPrefix.count)))
        } else if key.hasPrefix(Self.serverPrefix), key.count > Self.serverPrefix.count {
            self = .server(String(key.dropFirst(Self.serverPrefix.count)))
        } else {
            return nil
        }
    }

    var rawValue: String {
        switch self {
        case .serverClass(let name): Self.classPrefix + name
        case .server(let name): Self.serverPrefix + name
        }
    }
}
