import Foundation
import Hummingbird
import RAGKit

/// Server-Sent Events (the WHATWG `text/event-stream` format): `event: NAME` and `data: JSON` lines, a blank
/// line after each event. Our JSON is one line per event (no newline inside `data`).
enum EventStream {
    static let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]

    /// One event; `name` nil for a plain `data:` event (what OpenAI clients read).
    static func event<T: Encodable>(_ name: String?, _ value: T) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        return ByteBuffer(string: (name.map { "event: \($0)\n" } ?? "") + "data: \(json)\n\n")
    }

    static func raw(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// A 200 stream whose events `write` sends. A client that went away ends it silently; any other failure
    /// becomes one last error event (named `errorEvent`, or a plain `data:` one for OpenAI clients).
    static func response(errorEvent: String?, _ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                try await write(&writer)
            } catch ServingError.clientGone {
                return  // nobody is listening any more
            } catch {
                try? await writer.write(event(errorEvent, APIError(for: error).body))
            }
            try await writer.finish(nil)
        })
    }

    /// A comment line, ignored by clients: keeps the connection alive and tells us when the client left.
    static let heartbeat = ByteBuffer(string: ": waiting\n\n")
}
