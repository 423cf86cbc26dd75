/// A `Range: bytes=…` header resolved against a file size (RFC 9110 §14). One range only:
/// a multi-range request is answered whole, which the RFC allows.
public enum HTTPByteRange: Equatable, Sendable {
    /// No usable Range header: send everything.
    case whole
    /// Send `length` bytes from `offset` (206).
    case partial(offset: Int, length: Int)
    /// No byte of the range exists (416).
    case unsatisfiable

    public init(header: String?, size: Int) {
        guard let header else { self = .whole; return }
        let trimmed = header.trimmingSpaces
        guard trimmed.lowercased().hasPrefix("bytes="), !trimmed.contains(",") else { self = .whole; return }
        let spec = trimmed.dropFirst("bytes=".count)
        guard let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash].trimmingSpaces
        let last = spec[spec.index(after: dash)...].trimmingSpaces
        if first.isEmpty {
            // Suffix range: the last N bytes.
            guard let count = Int(last), count >= 0 else { self = .whole; return }
            guard count > 0, size > 0 else { self = .unsatisfiable; return }
            let length = min(count, size)
            self = .partial(offset: size - length, length: length)
            return
        }
        guard let start = Int(first), start >= 0 else { self = .whole; return }
        guard start < size else { self = .unsatisfiable; return }
        var end = size - 1
        if !last.isEmpty {
            guard let requestedEnd = Int(last), requestedEnd >= start else { self = .whole; return }
            end = min(requestedEnd, size - 1)
        }
        self = .partial(offset: start, length: end - start + 1)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
