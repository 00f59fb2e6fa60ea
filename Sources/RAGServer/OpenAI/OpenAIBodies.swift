import Foundation
import Retrieval

/// The parts of OpenAI's chat-completions and embeddings requests rag reads (platform.openai.com/docs/api-reference).
/// Everything else a client sends (tools, logprobs, response_format …) is accepted and ignored.
struct ChatCompletionBody: Decodable {
    struct Message: Decodable {
        var role: String
        var content: MessageContent?
    }

    var model: String?
    var messages: [Message]
    var stream: Bool?
    var temperature: Float?
    var topP: Float?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var seed: UInt64?
    var streamOptions: StreamOptions?

    struct StreamOptions: Decodable { var includeUsage: Bool?; enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" } }

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, topP = "top_p", maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens", seed, streamOptions = "stream_options"
    }

    /// The conversation as the decoder's turns (system, user and assistant messages; others are refused).
    func turns() throws -> [ChatTurn] {
        let turns = try messages.map { message -> ChatTurn in
            guard let role = ChatTurn.Role(rawValue: message.role) else {
                throw APIError.badRequest("the role \"\(message.role)\" is not supported: use system, user or assistant")
            }
            return ChatTurn(role, message.content?.text ?? "")
        }
        guard turns.last?.role == .user else { throw APIError.badRequest("\"messages\" must end with a user message") }
        return turns
    }

    /// The question: the last user message's text.
    func question() throws -> String {
        guard let last = messages.last(where: { $0.role == "user" }), let text = last.content?.text,
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("\"messages\" needs a user message with text: the last one is the question")
        }
        return text
    }

    /// The turns before the question: each user message with the assistant message that answered it, oldest
    /// first (a user message left unanswered is dropped; system messages are rag's own to write). Messages carry
    /// text only, so the turns know no cited passages: follow-ups are searched with the earlier question.
    func conversation() -> [ConversationTurn] {
        guard let last = messages.lastIndex(where: { $0.role == "user" }) else { return [] }
        var turns: [ConversationTurn] = [], asked: String?
        for message in messages[..<last] {
            let text = message.content?.text ?? ""
            switch message.role {
            case "user": asked = text
            case "assistant":
                if let question = asked, !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    turns.append(ConversationTurn(question: question, answer: text))
                }
                asked = nil
            default: break
            }
        }
        return Array(turns.suffix(ConversationTurn.maximumRemembered))
    }
}

/// A message's content: a string, or an array of parts of which the text parts count.
enum MessageContent: Decodable {
    case text(String)
    case parts([Part])

    struct Part: Decodable { var type: String; var text: String? }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) { self = .text(text); return }
        self = .parts(try container.decode([Part].self))
    }

    var text: String? {
        switch self {
        case .text(let text): return text
        case .parts(let parts):
            let texts = parts.filter { $0.type == "text" }.compactMap(\.text)
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        }
    }
}

/// `POST /v1/embeddings`: `input` is a string or an array of strings (token arrays are refused).
struct EmbeddingsBody: Decodable {
    var input: Input
    var model: String?
    var encodingFormat: String?
    /// rag's extension: "query" (default) or "passage", the two roles e5 embeds text in.
    var inputType: String?

    enum CodingKeys: String, CodingKey { case input, model, encodingFormat = "encoding_format", inputType = "input_type" }

    enum Input: Decodable {
        case one(String)
        case many([String])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) { self = .one(one); return }
            guard let many = try? container.decode([String].self) else {
                throw APIError.badRequest("\"input\" must be a string or an array of strings (token arrays are not supported)")
            }
            self = .many(many)
        }

        var texts: [String] { switch self { case .one(let text): [text]; case .many(let texts): texts } }
    }
}
