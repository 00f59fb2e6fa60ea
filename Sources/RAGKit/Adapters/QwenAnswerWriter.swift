import Foundation
import Inference
import Kernels
import ModelFiles
import Retrieval
import Tokenization

/// `rag ask`'s generator: a GGUF decoder (Qwen2.5 by default) behind Retrieval's `AnswerWriter`. Prompts
/// use the model's ChatML template; the template's markers are encoded as control tokens, but the system
/// and user texts never are, so a document containing "<|im_end|>" cannot end its turn early.
public final class QwenAnswerWriter: AnswerWriter {
    public let model: any LanguageModel
    public let tokenizer: BPETokenizer
    /// The template around the two turns: before the system text, between the turns, after the user text.
    public let frame: (beforeSystem: [Int], betweenTurns: [Int], afterUser: [Int])

    /// Room for prompt and answer, in tokens: 4096 covers k=5 passages of 400 encoder tokens with room left.
    public static let contextLength = 4096

    public init(file: GGUFFile, threads: Int) throws {
        model = try LanguageModels.load(file, options: InferenceOptions(parallelism: Parallelism(threads: threads),
                                                                         contextLength: Self.contextLength))
        tokenizer = try BPETokenizer(gguf: file)
        let systemMark = "\u{1}SYSTEM\u{1}", userMark = "\u{1}USER\u{1}"
        let rendered = ChatTemplate.qwen.render([ChatMessage(.system, systemMark), ChatMessage(.user, userMark)])
        let parts = rendered.components(separatedBy: systemMark).flatMap { $0.components(separatedBy: userMark) }
        precondition(parts.count == 3, "the chat template places each turn once")
        frame = (tokenizer.encode(parts[0], parseSpecial: true), tokenizer.encode(parts[1], parseSpecial: true),
                 tokenizer.encode(parts[2], parseSpecial: true))
    }

    public var contextLength: Int { model.contextLength }

    public func tokenCount(_ text: String) -> Int { tokenizer.encode(text, parseSpecial: false).count }

    public func promptIDs(system: String, user: String) -> [Int] {
        frame.beforeSystem + tokenizer.encode(system, parseSpecial: false) + frame.betweenTurns
            + tokenizer.encode(user, parseSpecial: false) + frame.afterUser
    }

    public func promptTokenCount(system: String, user: String) -> Int { promptIDs(system: system, user: user).count }

    public func write(system: String, user: String, settings: GenerationSettings,
               onPiece: (GeneratedPiece) -> Void) throws -> GenerationReport {
        let started = Date()
        var firstTokenAt: Date?
        let generator = TokenGenerator(model: model, tokenizer: tokenizer)
        let result = try generator.generate(
            prompt: promptIDs(system: system, user: user), sampler: Sampler(Sampler.Settings(settings)),
            limits: TokenGenerator.Limits(maxTokens: settings.maxTokens, topCandidates: settings.candidatesPerToken)
        ) { step in
            if firstTokenAt == nil, step.id != nil { firstTokenAt = Date() }
            onPiece(GeneratedPiece(text: step.text, candidates: step.candidates.map {
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
                                decodeTokensPerSecond: result.decodeTokensPerSecond, stopReason: stop)
    }
}
