import AnvilJSON
import struct Foundation.Data

/// An RFC 6902 JSON Patch: operations applied in order, all or nothing.
public struct JSONPatch: Sendable, Hashable {
    public var operations: [JSONPatchOperation]

    public init(_ operations: [JSONPatchOperation] = []) {
        self.operations = operations
    }

    /// Decodes a patch document: an array of operation objects.
    public init(json: JSONValue) throws(JSONPatchError) {
        guard case .array(let items) = json else {
            throw JSONPatchError(.patchNotAnArray(found: JSONPatchError.kind(of: json)))
        }
        var operations: [JSONPatchOperation] = []
        operations.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            operations.append(try JSONPatchOperation(json: item, index: index))
        }
        self.operations = operations
    }

    /// Decodes patch text (`application/json-patch+json`).
    public init(data: Data) throws(JSONPatchError) {
        let json: JSONValue
        do {
            json = try JSONValue(data: data)
        } catch {
            throw JSONPatchError(.invalidJSON(String(describing: error)))
        }
        try self.init(json: json)
    }

    /// The patch as a JSON array.
    public var json: JSONValue {
        .array(operations.map(\.json))
    }

    /// The patched document. Any failing operation fails the whole patch; `document` is a value,
    /// so the caller's copy is never touched either way.
    public func apply(to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        var result = document
        for (index, operation) in operations.enumerated() {
            do throws(JSONPatchError) {
                try operation.apply(to: &result)
            } catch {
                throw JSONPatchError(index: index, op: operation.op, path: operation.path.description,
                                     from: operation.from?.description, reason: error.reason)
            }
        }
        return result
    }
}
