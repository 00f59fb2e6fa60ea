import Hummingbird

/// With an API key, every /v1 route needs `Authorization: Bearer <key>`; the page, /health and
/// /openapi.json stay open (the page asks for the key itself). Keys are compared in constant time.
struct BearerKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else { return try await next(request, context) }
        let sent = request.headers[.authorization].flatMap { header -> Substring? in
            header.lowercased().hasPrefix("bearer ") ? header.dropFirst("bearer ".count) : nil
        }
        guard let sent, Self.same(Array(sent.utf8), Array(key.utf8)) else {
            var response = try APIError(.unauthorized, sent == nil ? "this server needs an API key: send Authorization: Bearer KEY"
                                                                  : "the API key is wrong", code: "invalid_api_key")
                .response(from: request, context: context)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }

    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
