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
}
