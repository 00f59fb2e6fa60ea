import Foundation
import Hummingbird
import RAGKit
import Retrieval

/// The OpenAI-compatible routes, so existing clients (the `openai` packages, chat front-ends, editor
/// plug-ins) can use rag unchanged: `GET /v1/models`, `POST /v1/chat/completions`, `POST /v1/embeddings`.
/// The assistant's content is the grounded, cited answer; the whole `rag ask --json` report rides along in
/// an extra `rag` field, which OpenAI clients ignore (and which keeps the sources in the stream).
struct OpenAIRoutes {
    let service: RAGService

    /// The models a client can name: the grounded answer; the quotes alone (fast, no decoder); the decoder
    /// alone on the conversation as given, without retrieval (a generator for another server's --generator-url).
    enum Model: String, CaseIterable {
        case rag, ragRetrieve = "rag-retrieve", generator = "rag-generator"
        var mode: AnswerMode { self == .ragRetrieve ? .retrieve : .compare }
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/models") { _, _ in try JSONResponse.make(ModelList(embedder: service.encoderName)) }
        router.post("/v1/embeddings") { request, _ in try await embeddings(request) }
        router.post("/v1/chat/completions") { request, _ in try await chatCompletion(request) }
    }

    func embeddings(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(EmbeddingsBody.self, limit: service.settings.limits.bodyBytes)
        let texts = body.input.texts
        guard !texts.isEmpty, texts.count <= service.settings.limits.maxEmbeddingInputs else {
            throw APIError.badRequest("\"input\" must hold 1 to \(service.settings.limits.maxEmbeddingInputs) texts")
        }
        if let format = body.encodingFormat, format != "float", format != "base64" {
            throw APIError.badRequest("\"encoding_format\" must be \"float\" or \"base64\"")
        }
        guard [nil, "query", "passage"].contains(body.inputType) else { throw APIError.badRequest("\"input_type\" must be \"query\" or \"passage\"") }
        for text in texts { _ = try Validate.text(text, field: "input") }
        let (vectors, tokens) = try await service.embed(texts, asPassages: body.inputType == "passage")
        return try JSONResponse.make(EmbeddingList(vectors: vectors, base64: body.encodingFormat == "base64",
                                                   model: service.encoderName, tokens: tokens))
    }

    func chatCompletion(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(ChatCompletionBody.self, limit: service.settings.limits.bodyBytes)
        guard let model = Model(rawValue: body.model ?? "rag") else {
            throw APIError(.notFound, "no model \"\(body.model ?? "")\": use \(Model.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))",
                           code: "model_not_found")
        }
        if model == .generator { return try await plainCompletion(body) }
        let question = try Validate.text(try body.question(), field: "messages")
        var settings = AskSettings()
        settings.mode = model.mode
        settings.conversation = body.conversation()
        try Validate.generation(&settings.generation, maxTokens: body.maxCompletionTokens ?? body.maxTokens, temperature: body.temperature,
                                topK: nil, topP: body.topP, seed: body.seed, limits: service.settings.limits)
        let completion = ChatCompletion(model: model.rawValue)
        let chosen = settings
        guard body.stream == true else {
            let answered = try await service.answer(question, settings: chosen)
            return try JSONResponse.make(completion.whole(answered.answer))
        }
        let includeUsage = body.streamOptions?.includeUsage == true
        return EventStream.response(errorEvent: nil) { writer in
            try await writer.write(EventStream.event(nil, completion.chunk(role: "assistant", content: "")))
            let answered = try await service.answer(question, settings: chosen) { stage in
                switch stage {
                case .waiting: try await writer.write(EventStream.heartbeat)
                case .retrieved(let retrieved, let covered, _):
                    // Quotes (retrieve model) or the "not covered" message are the whole content; text comes later otherwise.
                    if let content = ChatCompletion.contentBeforeGeneration(retrieved, covered: covered, question: question, mode: chosen.mode) {
                        try await writer.write(EventStream.event(nil, completion.chunk(content: content)))
                    }
                case .piece(let piece) where !piece.text.isEmpty:
                    try await writer.write(EventStream.event(nil, completion.chunk(content: piece.text)))
                case .piece: break
                }
            }
            try await writer.write(EventStream.event(nil, completion.finalChunk(answered.answer, includeUsage: includeUsage)))
            try await writer.write(EventStream.raw("data: [DONE]\n\n"))
        }
    }

    /// `rag-generator`: the conversation straight to the decoder, as llama-server would answer it.
    func plainCompletion(_ body: ChatCompletionBody) async throws -> Response {
        let turns = try body.turns()
        var settings = GenerationSettings()
        try Validate.generation(&settings, maxTokens: body.maxCompletionTokens ?? body.maxTokens, temperature: body.temperature,
                                topK: nil, topP: body.topP, seed: body.seed, limits: service.settings.limits)
        let completion = ChatCompletion(model: Model.generator.rawValue), chosen = settings
        guard body.stream == true else {
            let (report, text) = try await service.generate(turns, settings: chosen)
            return try JSONResponse.make(completion.plain(text: text, report: report))
        }
        let includeUsage = body.streamOptions?.includeUsage == true
        return EventStream.response(errorEvent: nil) { writer in
            try await writer.write(EventStream.event(nil, completion.chunk(role: "assistant", content: "")))
            let (report, _) = try await service.generate(turns, settings: chosen) { stage in
                switch stage {
                case .waiting: try await writer.write(EventStream.heartbeat)
                case .piece(let piece) where !piece.text.isEmpty:
                    try await writer.write(EventStream.event(nil, completion.chunk(content: piece.text)))
                default: break
                }
            }
            try await writer.write(EventStream.event(nil, completion.plainFinalChunk(report, includeUsage: includeUsage)))
            try await writer.write(EventStream.raw("data: [DONE]\n\n"))
        }
    }
}
