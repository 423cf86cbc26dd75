import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A plain GET to a daemon on loopback.
enum HTTPGet {
    static func fetch(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// Any method with request headers; the answer's headers by lower-cased name.
    static func exchange(_ url: String, method: String = "GET", headers: [String: String] = [:]) async throws
        -> (status: Int, headers: [String: String], body: Data)
    {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { fields["\(name)".lowercased()] = "\(value)" }
        return (http?.statusCode ?? 0, fields, data)
    }
}
