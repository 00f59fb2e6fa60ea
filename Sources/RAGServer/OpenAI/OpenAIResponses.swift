import Foundation
import RAGKit
import Retrieval

/// `GET /v1/models`.
struct ModelList: Encodable {
    struct Entry: Encodable { var id: String; var object = "model"; var created = 0; var ownedBy = "rag"
        enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by" } }
    var object = "list"
    var data: [Entry]

    init(embedder: String) {
        data = OpenAIRoutes.Model.allCases.map { Entry(id: $0.rawValue) } + [Entry(id: embedder)]
    }
}

/// `POST /v1/embeddings`'s answer: one entry per input, in order.
struct EmbeddingList: Encodable {
    struct Entry: Encodable {
        var object = "embedding"
        var index: Int
        var vector: [Float]
        var base64: Bool

        enum CodingKeys: String, CodingKey { case object, index, embedding }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(object, forKey: .object); try c.encode(index, forKey: .index)
            if base64 {  // little-endian float32s, as OpenAI's base64 format
                let bytes = vector.withUnsafeBufferPointer { Data(buffer: $0) }
                try c.encode(bytes.base64EncodedString(), forKey: .embedding)
            } else {
                try c.encode(vector, forKey: .embedding)
            }
        }
    }
    struct Usage: Encodable { var promptTokens: Int; var totalTokens: Int
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", totalTokens = "total_tokens" } }

    var object = "list"
    var data: [Entry]
    var model: String
    var usage: Usage

    init(vectors: [[Float]], base64: Bool, model: String, tokens: Int) {
        data = vectors.enumerated().map { Entry(index: $0.offset, vector: $0.element, base64: base64) }
        self.model = model
        usage = Usage(promptTokens: tokens, totalTokens: tokens)
    }
}

/// One chat completion, whole or as the chunks of a stream, with the `rag ask --json` report in `rag`.
struct ChatCompletion {
    let id = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    let created = Int(Date().timeIntervalSince1970)
    let model: String

    struct Usage: Encodable {
        var promptTokens: Int, completionTokens: Int, totalTokens: Int
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens" }
        init(_ answer: Answer) {
            promptTokens = answer.generation?.report.promptTokens ?? 0
            completionTokens = answer.generation?.report.generatedTokens ?? 0
            totalTokens = promptTokens + completionTokens
        }
        init(_ report: GenerationReport) {
            promptTokens = report.promptTokens; completionTokens = report.generatedTokens; totalTokens = promptTokens + completionTokens
        }
    }

    struct Message: Encodable { var role: String?; var content: String? }

    struct Choice: Encodable {
        var index = 0
        var message: Message?
        var delta: Message?
        var finishReason: String?
        enum CodingKeys: String, CodingKey { case index, message, delta, finishReason = "finish_reason" }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encodeIfPresent(message, forKey: .message); try c.encodeIfPresent(delta, forKey: .delta)
            try c.encode(finishReason, forKey: .finishReason)  // null while a stream goes on
        }
    }

    struct Body: Encodable {
        var id: String, object: String, created: Int, model: String
        var choices: [Choice]
        var usage: Usage?
        var rag: AskReport?
    }

    /// The assistant's content for a finished answer: the cited generated answer, else the quotes with
    /// their passage numbers, else the "not covered" message.
    static func content(of answer: Answer) -> String {
        if let message = answer.notCoveredMessage { return message }
        if let generation = answer.generation { return generation.citedText }
        return quoted(answer.retrieval)
    }

    /// Content known once retrieval is done (the quotes of the retrieve model, or "not covered"); nil when the
    /// generated text is still to come.
    static func contentBeforeGeneration(_ retrieved: RetrievedAnswer, covered: Bool, question: String, mode: AnswerMode) -> String? {
        if !covered { return QuestionLanguage(of: question).notCoveredMessage }
        return mode == .retrieve ? quoted(retrieved) : nil
    }

    /// "sentence [1] sentence [2]": each quote followed by the number of the passage it is from.
    static func quoted(_ retrieved: RetrievedAnswer) -> String {
        let quotes = (retrieved.quotes ?? []).flatMap { $0 }
        return quotes.map { quote in
            let n = retrieved.hits.firstIndex { $0.chunk.documentPath == quote.source && $0.chunk.ordinal == quote.chunk }.map { " [\($0 + 1)]" } ?? ""
            return quote.text + n
        }.joined(separator: " ")
    }

    static func finishReason(_ answer: Answer) -> String { answer.generation.map { finishReason($0.report) } ?? "stop" }

    func whole(_ answer: Answer) -> Body {
        Body(id: id, object: "chat.completion", created: created, model: model,
             choices: [Choice(message: Message(role: "assistant", content: Self.content(of: answer)), finishReason: Self.finishReason(answer))],
             usage: Usage(answer), rag: AskReport(answer: answer, pieces: nil))
    }

    func chunk(role: String? = nil, content: String) -> Body {
        Body(id: id, object: "chat.completion.chunk", created: created, model: model,
             choices: [Choice(delta: Message(role: role, content: content))], usage: nil, rag: nil)
    }

    func plain(text: String, report: GenerationReport) -> Body {
        Body(id: id, object: "chat.completion", created: created, model: model,
             choices: [Choice(message: Message(role: "assistant", content: text), finishReason: Self.finishReason(report))],
             usage: Usage(report), rag: nil)
    }

    func plainFinalChunk(_ report: GenerationReport, includeUsage: Bool) -> Body {
        Body(id: id, object: "chat.completion.chunk", created: created, model: model,
             choices: [Choice(delta: Message(), finishReason: Self.finishReason(report))], usage: includeUsage ? Usage(report) : nil, rag: nil)
    }

    static func finishReason(_ report: GenerationReport) -> String { report.stopReason == "max_tokens" ? "length" : "stop" }

    /// The last chunk: the finish reason, the usage when asked for, and the whole report (citations, grounding).
    func finalChunk(_ answer: Answer, includeUsage: Bool) -> Body {
        Body(id: id, object: "chat.completion.chunk", created: created, model: model,
             choices: [Choice(delta: Message(), finishReason: Self.finishReason(answer))],
             usage: includeUsage ? Usage(answer) : nil, rag: AskReport(answer: answer, pieces: nil))
    }
}
