import Foundation
import Inference
import Kernels
import ModelFiles
import Retrieval
import Tokenization

/// `rag ask`'s generator: a GGUF decoder (Qwen2.5 by default) behind Retrieval's `AnswerWriter`, with
/// prompts in the model's ChatML template (`QwenChatPrompt`).
public final class QwenAnswerWriter: AnswerWriter {
    public let model: any LanguageModel
    public let tokenizer: BPETokenizer
    public let prompt: QwenChatPrompt
    /// Room for prompt and answer, in tokens: 4096 covers k=5 passages of 400 encoder tokens with room left.
    public static let contextLength = 4096

    /// One generator for every answer, so that with `reusesPromptCache` its cache carries from one to the next.
    private let generator: TokenGenerator

    /// `reusesPromptCache`: keep the cached prefix (template and system text) between answers (see
    /// `TokenGenerator.reusesCache`); for a process that answers many questions.
    public init(file: GGUFFile, threads: Int, reusesPromptCache: Bool = false) throws {
        model = try LanguageModels.load(file, options: InferenceOptions(parallelism: Parallelism(threads: threads),
                                                                         contextLength: Self.contextLength))
        tokenizer = try BPETokenizer(gguf: file)
        prompt = QwenChatPrompt(tokenizer: tokenizer)
        generator = TokenGenerator(model: model, tokenizer: tokenizer)
        generator.reusesCache = reusesPromptCache
    }

    public var contextLength: Int { model.contextLength }

    public func tokenCount(_ text: String) -> Int { prompt.tokenCount(text) }

    public func promptTokenCount(_ turns: [ChatTurn]) -> Int { prompt.ids(turns).count }

    public func write(_ turns: [ChatTurn], settings: GenerationSettings,
                      onPiece: (GeneratedPiece) throws -> Void) throws -> GenerationReport {
        let started = Date()
        var firstTokenAt: Date?
        generator.promptLookup = .drafting(settings.promptLookupDraft)
        let result = try generator.generate(
            prompt: prompt.ids(turns), sampler: Sampler(Sampler.Settings(settings)),
            limits: TokenGenerator.Limits(maxTokens: settings.maxTokens, topCandidates: settings.candidatesPerToken)
        ) { step in
            if firstTokenAt == nil, step.id != nil { firstTokenAt = Date() }
            try onPiece(GeneratedPiece(text: step.text, candidates: step.candidates.map {
                TokenCandidate(text: tokenizer.decode([$0.id]), probability: $0.probability)
            }))
        }
        let stop: String
        switch result.stopReason {
        case .endOfGeneration: stop = "eos"
        case .maxTokens: stop = "max_tokens"
        case .stopString: stop = "stop_string"
        }
        return GenerationReport(promptTokens: result.promptTokens.count, generatedTokens: result.tokens.count,
                                timeToFirstTokenMs: (firstTokenAt ?? Date()).timeIntervalSince(started) * 1000,
                                decodeTokensPerSecond: result.decodeTokensPerSecond, stopReason: stop,
                                cachedPromptTokens: result.reusedPromptTokens, draftedTokens: result.draftedTokens,
                                acceptedDraftTokens: result.acceptedDraftTokens)
    }
}
