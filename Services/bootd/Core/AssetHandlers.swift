import AnvilBootFiles
import AnvilHTTPServer
import AnvilResources
import Logging

/// `GET|HEAD /env/<name>/vmlinuz|initramfs.xz`: an environment's downloaded assets (only while
/// their Ready condition matches the spec) or the agent's, served with sendfile.
struct EnvironmentAssetHandler: Sendable {
    let settings: BootdSettings
    let reader: BootStateReader
    let logger: Logger

    func respond(_ request: HTTPServerRequest, rest: Substring) async -> HTTPServerResponse {
        // Split before decoding, so an encoded slash stays inside its component and is refused.
        let rawParts = rest.split(separator: "/", omittingEmptySubsequences: false)
        let parts = rawParts.map { HTTPQuery.decode($0, plusIsSpace: false) }
        guard parts.allSatisfy({ $0 != nil }) else {
            return BootResponses.error(.badRequest, "malformed path: bad percent escape")
        }
        guard parts.count == 2, let asset = EnvironmentAssetKind(rawValue: parts[1]!) else {
            return BootResponses.error(.notFound, "no such asset: /env/\(rest.prefix(200)) (expected /env/<environment>/vmlinuz or /env/<environment>/initramfs.xz)")
        }
        let name = parts[0]!
        guard Self.isValidName(name) else {
            return BootResponses.error(.badRequest, "invalid environment name \"\(name.prefix(100))\"")
        }
        let directory: String
        if AgentEnvironment.isAgent(name) {
            directory = settings.agentDirectory.appendingPathComponent(name).path
        } else {
            do {
                guard let environment = try await reader.environment(name) else {
                    return BootResponses.error(.notFound, "environment \"\(name)\" not found")
                }
                guard environment.readyCondition(for: asset) != nil else {
                    return BootResponses.error(.notFound, "environment \"\(name)\" has no ready \(asset.fileName)")
                }
            } catch {
                logger.error("cannot read the environment", metadata: ["environment": "\(name)", "error": "\(error)"])
                return BootResponses.error(.internalServerError, "internal error reading environment \"\(name)\" (logged)")
            }
            directory = settings.environmentDirectory.appendingPathComponent(name).path
        }
        switch HTTPFileResponse.make(path: directory + "/" + asset.fileName, request: request) {
        case .success(let response):
            return response
        case .failure(.notFound):
            let hint = AgentEnvironment.isAgent(name) ? ": put the agent's \(asset.fileName) in \(directory)" : ""
            return BootResponses.error(.notFound, "\(asset.fileName) of environment \"\(name)\" is missing\(hint)")
        case .failure(.unreadable(let reason)):
            logger.error("cannot open an asset", metadata: ["environment": "\(name)", "asset": "\(asset.fileName)", "error": "\(reason)"])
            return BootResponses.error(.internalServerError, "cannot read \(asset.fileName) of environment \"\(name)\" (logged)")
        }
    }

    /// Resource names (RFC 1123 subdomain): also keeps `..`, slashes and NUL out of file paths.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        } && !name.hasPrefix(".") && !name.hasPrefix("-")
    }
}

/// `GET|HEAD /tftp/<path>`: tftpd's boot file root over HTTP (UEFI HTTP boot), same checks.
struct TFTPRootHandler: Sendable {
    let root: BootFileRoot
    let logger: Logger

    func respond(_ request: HTTPServerRequest, rest: Substring) -> HTTPServerResponse {
        guard let decoded = HTTPQuery.decode(rest, plusIsSpace: false) else {
            return BootResponses.error(.badRequest, "malformed path: bad percent escape")
        }
        let resolved: String
        do {
            resolved = try root.resolve(BootFilePath(validating: decoded))
        } catch {
            if error.isNotFound { return BootResponses.error(.notFound, "no such boot file: \(decoded.prefix(255))") }
            return BootResponses.error(.forbidden, "refused boot file path \"\(decoded.prefix(255))\": \(error.description)")
        }
        switch HTTPFileResponse.make(path: resolved, request: request) {
        case .success(let response):
            return response
        case .failure(.notFound):
            return BootResponses.error(.notFound, "no such boot file: \(decoded)")
        case .failure(.unreadable(let reason)):
            logger.error("cannot open a boot file", metadata: ["file": "\(decoded)", "error": "\(reason)"])
            return BootResponses.error(.internalServerError, "cannot read boot file \(decoded) (logged)")
        }
    }
}
