import ArgumentParser
import Foundation
import Inference
import ModelFiles
import Tokenization

/// `rag generate PROMPT`: run the decoder model on a prompt and stream its continuation, token by token.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with the decoder model, streaming it as it is produced.",
        discussion: """
            By default the prompt is a user turn in the model's chat template; --raw feeds the exact string (special-token \
            text such as <|im_start|> becomes that token). --temperature 0 always takes the most probable token.
            """)

    enum PromptMode: EnumerableFlag {
        case chat, raw

        static func help(for value: PromptMode) -> ArgumentHelp? {
            switch value {
            case .chat: "Wrap the prompt in the chat template as a user turn (default)."
            case .raw: "Use the prompt string exactly as given."
            }
        }
    }

    @Argument(help: "The prompt.")
    var prompt: String

    @Flag var mode: PromptMode = .chat

    @Option(help: "System message for --chat (default: the model's own).")
    var system: String?

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 256

    @Option(help: "Sampling temperature; 0 always takes the most probable token (greedy, deterministic).")
    var temperature: Float = 0

    @Option(name: .customLong("top-k"), help: "Sample only among the k most probable tokens (0: all).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Sample only among the most probable tokens whose probabilities add up to p.")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens less than this fraction as probable as the best one.")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for tokens among the last 64 (1: none).")
    var repeatPenalty: Float = 1

    @Option(help: "Random seed, so a sampled text can be reproduced.")
    var seed: UInt64 = 42

    @Option(name: .customLong("stop"), help: "A text that ends the generation (repeatable).")
    var stopStrings: [String] = []

    @Flag(name: .customLong("show-probs"), help: "For each generated token, show the 5 most probable candidates.")
    var showProbs = false

    @Flag(help: "Print {prompt_tokens, tokens, text, prefill_tokens_per_second, decode_tokens_per_second} as JSON.")
    var json = false

    @OptionGroup var modelOptions: DecoderModelOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if temperature < 0 { throw ValidationError("--temperature must be 0 or more") }
        if topK < 0 { throw ValidationError("--top-k must be 0 or more") }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        if !(minP >= 0 && minP < 1) { throw ValidationError("--min-p must be in [0, 1)") }
        if !(repeatPenalty > 0) { throw ValidationError("--repeat-penalty must be above 0") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if mode == .raw, system != nil { throw ValidationError("--system only applies to --chat prompts") }
    }

    func run() throws {
        let file = try modelOptions.open()
        let tokenizer = try BPETokenizer(gguf: file)
        let text = mode == .raw
            ? prompt
            : ChatTemplate.qwen.render((system.map { [ChatMessage(.system, $0)] } ?? []) + [ChatMessage(.user, prompt)])
        let promptIDs = tokenizer.encode(text)
        let model = try LanguageModels.load(file, options: InferenceOptions(
            parallelism: compute.parallelism, contextLength: promptIDs.count + maxTokens))
        let generator = TokenGenerator(model: model, tokenizer: tokenizer)
        let limits = TokenGenerator.Limits(maxTokens: maxTokens, stopStrings: stopStrings, topCandidates: showProbs ? 5 : 0)

        var shown: [[Candidate]] = []
        let result = try generator.generate(prompt: promptIDs, sampler: Sampler(samplerSettings), limits: limits) { step in
            if showProbs, let id = step.id {
                let candidates = step.candidates.map { Candidate(id: $0.id, piece: tokenizer.piece(for: $0.id), probability: $0.probability) }
                shown.append(candidates)
                if !json { print(Self.describe(chosen: tokenizer.piece(for: id), candidates)) }
            } else if !json, !showProbs {
                FileHandle.standardOutput.write(Data(step.text.utf8))
            }
        }
        if json {
            try printJSON(Report(prompt_tokens: result.promptTokens, tokens: result.tokens, text: result.text,
                                 prefill_tokens_per_second: result.prefillTokensPerSecond,
                                 decode_tokens_per_second: result.decodeTokensPerSecond,
                                 top_candidates: showProbs ? shown : nil))
            return
        }
        if !showProbs { print() }
        FileHandle.standardError.write(Data(String(
            format: "[%d prompt tokens at %.1f tok/s; %d generated at %.1f tok/s; stopped: %@]\n",
            result.promptTokens.count, result.prefillTokensPerSecond, result.tokens.count,
            result.decodeTokensPerSecond, result.stopReason.rawValue).utf8))
    }

    var samplerSettings: Sampler.Settings {
        var settings = Sampler.Settings()
        settings.temperature = temperature
        settings.topK = topK
        settings.topP = topP
        settings.minP = minP
        settings.repetitionPenalty = repeatPenalty
        settings.seed = seed
        return settings
    }

    struct Candidate: Encodable {
        let id: Int
        let piece: String
        let probability: Float
    }

    struct Report: Encodable {
        let prompt_tokens: [Int]
        let tokens: [Int]
        let text: String
        let prefill_tokens_per_second: Double
        let decode_tokens_per_second: Double
        let top_candidates: [[Candidate]]?
    }

    /// One --show-probs line: the chosen piece, then the top candidates as piece(probability).
    static func describe(chosen: String, _ candidates: [Candidate]) -> String {
        let list = candidates.map { "\(TokenizeCommand.quoted($0.piece))(\(String(format: "%.3f", $0.probability)))" }
        return TokenizeCommand.quoted(chosen).padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + list.joined(separator: " ")
    }
}
