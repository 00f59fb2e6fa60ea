/// Writes an answer token by token from a chat prompt; implemented in RAGKit by the real Qwen2 decoder and
/// by a client of another OpenAI-compatible server, so Retrieval never imports the engine.
public protocol AnswerWriter: AnyObject {
    /// The generator's context window, in its tokens (prompt and answer together).
    var contextLength: Int { get }
    /// Tokens `text` takes in the generator's vocabulary.
    func tokenCount(_ text: String) -> Int
    /// Tokens of the whole templated prompt (the turns and the assistant header): what prefill sees.
    func promptTokenCount(_ turns: [ChatTurn]) -> Int
    /// Generates the assistant's next turn, calling `onPiece` as each piece of text is decoded (pieces never
    /// split a UTF-8 character), and returns the counts and timings. An error thrown by `onPiece` (a client
    /// that went away) stops generation and is rethrown.
    func write(_ turns: [ChatTurn], settings: GenerationSettings,
               onPiece: (GeneratedPiece) throws -> Void) throws -> GenerationReport
}

extension AnswerWriter {
    /// The prompt of a grounded answer: the instructions, then the passages and the question.
    public func promptTokenCount(system: String, user: String) -> Int {
        promptTokenCount([ChatTurn(.system, system), ChatTurn(.user, user)])
    }

    public func write(system: String, user: String, settings: GenerationSettings,
                      onPiece: (GeneratedPiece) throws -> Void) throws -> GenerationReport {
        try write([ChatTurn(.system, system), ChatTurn(.user, user)], settings: settings, onPiece: onPiece)
    }
}

/// One turn of a conversation given to a generator.
public struct ChatTurn: Equatable, Sendable {
    public enum Role: String, Sendable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) { self.role = role; self.content = content }
}

/// How the generator chooses tokens: the options of `rag generate`, shared by `rag ask`.
public struct GenerationSettings: Equatable, Sendable {
    /// 0 means greedy (always the most probable token): grounded answers should not wander.
    public var temperature: Float
    /// 0 disables the stage.
    public var topK: Int
    /// 1 disables the stage.
    public var topP: Float
    /// Drops tokens less than this fraction as probable as the best; 0 disables the stage.
    public var minP: Float
    /// Divides the logits of recently generated tokens; 1 disables the stage.
    public var repetitionPenalty: Float
    public var seed: UInt64
    /// The answer's budget in tokens; the prompt budget is what is left of the context.
    public var maxTokens: Int
    /// Candidates to report per token for --show-probs; 0 reports none.
    public var candidatesPerToken: Int
    /// Prompt-lookup decoding: tokens drafted at most per pass from where the answer's last words occur in the
    /// prompt, all checked in one pass; 0 decodes one token per pass. The answer is the same either way.
    public var promptLookupDraft: Int

    public init(temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05, repetitionPenalty: Float = 1,
                seed: UInt64 = 42, maxTokens: Int = 256, candidatesPerToken: Int = 0,
                promptLookupDraft: Int = GenerationSettings.defaultPromptLookupDraft) {
        self.temperature = temperature; self.topK = topK; self.topP = topP; self.minP = minP
        self.repetitionPenalty = repetitionPenalty; self.seed = seed
        self.maxTokens = maxTokens; self.candidatesPerToken = candidatesPerToken
        self.promptLookupDraft = promptLookupDraft
    }

    /// Measured on the eval set's answers (BENCHMARKS.md, "Prompt-lookup decoding").
    public static let defaultPromptLookupDraft = 0
}

/// One decoded piece of the answer, with the candidates the sampler saw when it chose this token.
public struct GeneratedPiece: Equatable, Sendable {
    /// Text of the token (may be empty while a multi-byte character is incomplete).
    public var text: String
    /// The most probable candidates, best first, with probabilities after the sampling stages; empty
    /// unless `candidatesPerToken` > 0.
    public var candidates: [TokenCandidate]

    public init(text: String, candidates: [TokenCandidate] = []) { self.text = text; self.candidates = candidates }
}

/// A token the generator could have chosen, and how likely it was (0...1).
public struct TokenCandidate: Equatable, Sendable {
    public var text: String
    public var probability: Float

    public init(text: String, probability: Float) { self.text = text; self.probability = probability }
}

/// What one generation cost.
public struct GenerationReport: Equatable, Sendable {
    public var promptTokens: Int
    public var generatedTokens: Int
    /// Wall time from the call to the first decoded token, in milliseconds (prefill dominates it).
    public var timeToFirstTokenMs: Double
    /// Tokens per second after the first.
    public var decodeTokensPerSecond: Double
    /// Why generation stopped: "eos", "max_tokens" or "stop_string".
    public var stopReason: String
    /// Leading prompt tokens whose keys and values were still cached from the previous answer (the system
    /// text and template are the same every time), so prefill skipped them; 0 without a prompt cache.
    public var cachedPromptTokens: Int
    /// Tokens drafted by prompt-lookup decoding, and how many of them the model confirmed (0 and 0 when off).
    public var draftedTokens: Int
    public var acceptedDraftTokens: Int

    public init(promptTokens: Int, generatedTokens: Int, timeToFirstTokenMs: Double, decodeTokensPerSecond: Double,
                stopReason: String, cachedPromptTokens: Int = 0, draftedTokens: Int = 0, acceptedDraftTokens: Int = 0) {
        self.promptTokens = promptTokens; self.generatedTokens = generatedTokens
        self.timeToFirstTokenMs = timeToFirstTokenMs; self.decodeTokensPerSecond = decodeTokensPerSecond
        self.stopReason = stopReason; self.cachedPromptTokens = cachedPromptTokens
        self.draftedTokens = draftedTokens; self.acceptedDraftTokens = acceptedDraftTokens
    }
}
