import Foundation
import Hummingbird
import RAGKit
import Retrieval

/// `POST /v1/ask`: the question answered twice, as `rag ask --json`; with `"stream": true` as Server-Sent
/// Events (`AskStreamEvents`): `retrieval`, then each `piece`, then `answer` (or `error`).
struct AskRoutes {
    let service: RAGService

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/ask") { request, _ in
            var request = request
            let body = try await request.decodeJSON(AskBody.self, limit: service.settings.limits.bodyBytes)
            let question = try Validate.text(body.question, field: "question")
            let settings = try body.settings(service.settings.limits)
            let showProbs = body.showProbs == true
            guard body.stream == true else {
                let answered = try await service.answer(question, settings: settings)
                return try JSONResponse.make(AskReport(answer: answered.answer, pieces: showProbs ? answered.pieces : nil))
            }
            try await refuseWhenFull(settings)
            return EventStream.response(errorEvent: "error") { writer in
                let answered = try await service.answer(question, settings: settings) { stage in
                    switch stage {
                    case .waiting: try await writer.write(EventStream.heartbeat)
                    case .retrieved(let retrieved, let covered, let best):
                        try await writer.write(EventStream.event("retrieval", AskStreamEvents.Retrieval(
                            question: question, settings: settings, retrieved: retrieved, covered: covered, bestSimilarity: best)))
                    case .piece(let piece):
                        try await writer.write(EventStream.event("piece", AskStreamEvents.Piece(piece)))
                    }
                }
                try await writer.write(EventStream.event("answer", AskReport(answer: answered.answer, pieces: showProbs ? answered.pieces : nil)))
            }
        }
    }

    /// A stream's status line goes out before the turn comes, so a full line is refused here, with a real 503.
    func refuseWhenFull(_ settings: AskSettings) async throws {
        guard settings.mode != .retrieve else { return }
        let waiting = await service.queue.count - 1
        if waiting >= service.queue.capacity { throw ServingError.queueFull(waiting: waiting) }
    }
}
