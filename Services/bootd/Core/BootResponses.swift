import AnvilHTTPServer
import NIOHTTP1

/// Response shapes shared by bootd's routes.
enum BootResponses {
    static func script(_ text: String) -> HTTPServerResponse {
        .text(.ok, text)
    }

    /// Errors are one line of text naming the problem.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> HTTPServerResponse {
        .text(status, message + "\n")
    }
}
