import Foundation
import Hummingbird
import RAGKit

/// What needs no key: the page, the health check and the API's description.
struct InfoRoutes {
    let service: RAGService

    struct Health: Encodable {
        var status = "ok"
        var documents: Int
        var passages: Int
        var vectors: Int
        /// Generated answers running or waiting.
        var generating: Int
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                                            .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: WebPage.html)))
        }
        router.get("/health") { _, _ in
            let stats = try await service.statistics()
            return try JSONResponse.make(Health(documents: stats.documents, passages: stats.chunks, vectors: stats.vectors,
                                                generating: await service.queue.count))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: WebPage.openAPI)))
        }
    }
}
