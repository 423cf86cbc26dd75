import AnvilJSON

/// Maps method names to handlers.
///
/// A handler receives the request's `params` (an array, an object, or nil when absent) and
/// returns the result. Throwing a ``BusError`` answers with its code, message and data; any
/// other error answers -32603 with the error's description.
public struct BusRouter: Sendable {
    public typealias Handler = @Sendable (JSONValue?) async throws -> JSONValue

    private var handlers: [String: Handler] = [:]

    public init() {}

    /// Registers (or replaces) the handler for `method`.
    public mutating func register(_ method: String, _ handler: @escaping Handler) {
        handlers[method] = handler
    }

    /// The registered method names, sorted.
    public var methods: [String] { handlers.keys.sorted() }

    public func handles(_ method: String) -> Bool { handlers[method] != nil }

    /// Runs the handler for `method`; never throws.
    public func dispatch(_ method: String, params: JSONValue?) async -> Result<JSONValue, BusError> {
        guard let handler = handlers[method] else {
            return .failure(.methodNotFound(method))
        }
        do {
            return .success(try await handler(params))
        } catch let error as BusError {
            return .failure(error)
        } catch {
            return .failure(.internalError(String(describing: error)))
        }
    }
}
