import Retrieval
import Tokenization

/// A conversation as Qwen2.5's prompt tokens (ChatML, with Qwen's default system text when there is none):
/// the template's markers become control tokens, the turns' texts never do, so a document containing
/// "<|im_end|>" cannot end its turn early. Also what a remote generator's prompt budget is counted with.
public struct QwenChatPrompt {
    public let tokenizer: BPETokenizer

    public init(tokenizer: BPETokenizer) { self.tokenizer = tokenizer }

    /// The tokenizer of the verified default decoder, without loading its weights.
    public static func defaultModel() throws -> QwenChatPrompt {
        QwenChatPrompt(tokenizer: try BPETokenizer(gguf: ModelWiring.decoderFile(nil)))
    }

    public func tokenCount(_ text: String) -> Int { tokenizer.encode(text, parseSpecial: false).count }

    public func ids(_ turns: [ChatTurn]) -> [Int] {
        let marks = turns.indices.map { "\u{1}TURN\($0)\u{1}" }
        let rendered = ChatTemplate.qwen.render(zip(turns, marks).map { ChatMessage(ChatMessage.Role(rawValue: $0.role.rawValue)!, $1) })
        var ids: [Int] = [], rest = Substring(rendered)
        for (turn, mark) in zip(turns, marks) {
            guard let place = rest.range(of: mark) else { preconditionFailure("the chat template places each turn once") }
            ids += tokenizer.encode(String(rest[..<place.lowerBound]), parseSpecial: true)
            ids += tokenizer.encode(turn.content, parseSpecial: false)
            rest = rest[place.upperBound...]
        }
        return ids + tokenizer.encode(String(rest), parseSpecial: true)
    }
}
