/// One turn of a conversation.
public struct ChatMessage: Equatable, Sendable {
    public enum Role: String, Sendable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// Renders a conversation in ChatML, the prompt format Qwen2.5 was fine-tuned on:
///
///     <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n
///
/// This is what the GGUF's Jinja `tokenizer.chat_template` produces for plain (tool-free) conversations; encode the
/// result with special-token parsing on so the markers become their control tokens.
public struct ChatTemplate: Sendable {
    /// Used when the conversation does not start with a system message (nil: no system turn then).
    public var defaultSystemPrompt: String?

    public init(defaultSystemPrompt: String?) {
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// Qwen2.5's template, with its built-in default system prompt.
    public static let qwen = ChatTemplate(
        defaultSystemPrompt: "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")

    /// The prompt text for `messages`; with `addGenerationPrompt`, it ends with an open assistant turn.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var turns = messages
        if turns.first?.role != .system, let system = defaultSystemPrompt {
            turns.insert(ChatMessage(.system, system), at: 0)
        }
        var prompt = ""
        for turn in turns {
            prompt += "<|im_start|>\(turn.role.rawValue)\n\(turn.content)<|im_end|>\n"
        }
        if addGenerationPrompt { prompt += "<|im_start|>assistant\n" }
        return prompt
    }
}
