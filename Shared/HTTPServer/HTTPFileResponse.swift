#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1

/// Serves one regular file: ETag and Last-Modified, conditional GET (304), a single byte range
/// (206/416) and HEAD; the body goes out with sendfile.
public enum HTTPFileResponse {
    public enum Failure: Error, Equatable {
        /// Missing, or not a regular file (a directory, a socket).
        case notFound
        case unreadable(String)
    }

    /// Opens `path` (not following a final symlink out of the caller's checks: callers validate
    /// paths first) and builds the response for `request`.
    public static func make(path: String, request: HTTPServerRequest, contentType: String = "application/octet-stream") -> Result<HTTPServerResponse, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            return .failure(code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(code))))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(.notFound)
        }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: fd)
        let size = Int(info.st_size)
        let modified = Int(info.st_mtim.tv_sec)
        let etag = "\"\(String(UInt64(info.st_ino), radix: 16))-\(String(size, radix: 16))-\(String(modified, radix: 16))\""
        var headers: HTTPHeaders = [
            "Content-Type": contentType, "ETag": etag, "Last-Modified": HTTPDate.format(secondsSinceEpoch: modified),
            "Accept-Ranges": "bytes",
        ]

        if isNotModified(request.headers, etag: etag, modified: modified) {
            try? handle.close()
            return .success(HTTPServerResponse(status: .notModified, headers: headers))
        }
        var range = HTTPByteRange(header: request.headers.first(name: "Range"), size: size)
        if let ifRange = request.headers.first(name: "If-Range"), ifRange != etag {
            range = .whole
        }
        switch range {
        case .whole:
            return .success(HTTPServerResponse(status: .ok, headers: headers, body: .file(HTTPFileBody(handle: handle, offset: 0, length: size))))
        case .partial(let offset, let length):
            headers.add(name: "Content-Range", value: "bytes \(offset)-\(offset + length - 1)/\(size)")
            return .success(HTTPServerResponse(status: .partialContent, headers: headers, body: .file(HTTPFileBody(handle: handle, offset: offset, length: length))))
        case .unsatisfiable:
            try? handle.close()
            headers.add(name: "Content-Range", value: "bytes */\(size)")
            return .success(HTTPServerResponse(status: .rangeNotSatisfiable, headers: headers))
        }
    }

    /// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    static func isNotModified(_ headers: HTTPHeaders, etag: String, modified: Int) -> Bool {
        if let match = headers.first(name: "If-None-Match") {
            return match.split(separator: ",").contains { tag in
                let trimmed = tag.trimmingSpaces
                return trimmed == "*" || trimmed == etag || trimmed == "W/" + etag
            }
        }
        if let since = headers.first(name: "If-Modified-Since").flatMap(HTTPDate.parse) {
            return modified <= since
        }
        return false
    }
}
