import Hummingbird

/// `POST /v1/search`: the passages that best match a query, as `rag search --json` prints them.
struct SearchRoutes {
    let service: RAGService

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/search") { request, _ in
            var request = request
            let body = try await request.decodeJSON(SearchBody.self, limit: service.settings.limits.bodyBytes)
            let (query, k, mode, filter) = try body.validated(service.settings.limits)
            return try JSONResponse.make(try await service.search(query, mode: mode, k: k, filter: filter, explained: body.explain ?? false))
        }
    }
}
