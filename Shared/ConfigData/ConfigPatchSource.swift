/// Which `configPatches` list a failing patch came from, so the operator knows what to edit.
public enum ConfigPatchSource: Sendable, Hashable, CustomStringConvertible {
    /// The bound ServerClass; `nil` name when the binding does not record one.
    case serverClass(name: String?)
    case server(name: String)

    public var description: String {
        switch self {
        case .serverClass(let name?): "ServerClass \"\(name)\""
        case .serverClass(nil): "the bound ServerClass"
        case .server(let name): "Server \"\(name)\""
        }
    }
}
