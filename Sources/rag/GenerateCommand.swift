import ArgumentParser
import Foundation
import Inference
import ModelFiles
import RAGKit
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

    @OptionGroup var sampling: SamplingOptions

    @Option(name: .customLong("stop"), help: "A text that ends the generation (repeatable).")
    var stopStrings: [String] = []

    @Option(name: .customLong("ctx"), parsing: .unconditional,
            help: ArgumentHelp("Context to allocate, in tokens: the prompt plus --max-tokens must fit (default 4096).", valueName: "n"))
    var context = 4096

    @Flag(help: "Print {prompt_tokens, tokens, text, prefill_tokens_per_second, decode_tokens_per_second, drafted_tokens, accepted_draft_tokens} as JSON.")
    var json = false

    @OptionGroup var modelOptions: DecoderModelOptions
    @OptionGroup var compute: ComputeOptions
    @OptionGroup var prefillOptions: PrefillOptions

    func validate() throws {
        if mode == .raw, system != nil { throw ValidationError("--system only applies to --chat prompts") }
        if context < 16 { throw ValidationError("--ctx must be at least 16") }
    }

    func run() throws {
        let file = try modelOptions.open()
        let tokenizer = try BPETokenizer(gguf: file)
        let text = mode == .raw
            ? prompt
            : ChatTemplate.qwen.render((system.map { [ChatMessage(.system, $0)] } ?? []) + [ChatMessage(.user, prompt)])
        let promptIDs = tokenizer.encode(text)
        let needed = promptIDs.count + sampling.maxTokens
        if needed > context {
            let advice = "shorten the prompt, lower --max-tokens or raise --ctx"
            throw CommandFailure("the prompt is \(promptIDs.count) tokens and --max-tokens adds \(sampling.maxTokens): \(needed) do not fit in --ctx \(context); \(advice)")
        }
        let model = try LanguageModels.load(file, options: InferenceOptions(parallelism: compute.parallelism, contextLength: needed,
                                                                         prefill: prefillOptions.prefill))
        if promptIDs.count > 1000 { StandardStreams.writeError("reading the prompt (\(promptIDs.count) tokens)…\n") }
        let generator = TokenGenerator(model: model, tokenizer: tokenizer)
        generator.promptLookup = .drafting(sampling.promptLookup)
        let limits = TokenGenerator.Limits(maxTokens: sampling.maxTokens, stopStrings: stopStrings,
                                            topCandidates: sampling.settings.candidatesPerToken)

        var shown: [[Candidate]] = []
        let result = try generator.generate(prompt: promptIDs, sampler: Sampler(Sampler.Settings(sampling.settings)), limits: limits) { step in
            if sampling.showProbs, let id = step.id {
                let candidates = step.candidates.map { Candidate(id: $0.id, piece: tokenizer.piece(for: $0.id), probability: $0.probability) }
                shown.append(candidates)
                if !json { print(Self.describe(chosen: tokenizer.piece(for: id), candidates)) }
            } else if !json, !sampling.showProbs {
                try StandardStreams.writeOutput(step.text)
            }
        }
        if json {
            try printJSON(Report(prompt_tokens: result.promptTokens, tokens: result.tokens, text: result.text,
                                 prefill_tokens_per_second: result.prefillTokensPerSecond,
                                 decode_tokens_per_second: result.decodeTokensPerSecond,
                                 drafted_tokens: result.draftedTokens, accepted_draft_tokens: result.acceptedDraftTokens,
                                 top_candidates: sampling.showProbs ? shown : nil))
            return
        }
        if !sampling.showProbs { print() }
        StandardStreams.writeError(String(
            format: "[%d prompt tokens at %.1f tok/s; %d generated at %.1f tok/s%@; stopped: %@]\n",
            result.promptTokens.count, result.prefillTokensPerSecond, result.tokens.count,
            result.decodeTokensPerSecond,
            result.draftedTokens > 0 ? ", \(result.acceptedDraftTokens) of \(result.draftedTokens) drafted tokens kept" : "",
            result.stopReason.rawValue))
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
        let drafted_tokens: Int
        let accepted_draft_tokens: Int
        let top_candidates: [[Candidate]]?
    }

    /// One --show-probs line: the chosen piece, then the top candidates as piece(probability).
    static func describe(chosen: String, _ candidates: [Candidate]) -> String {
        let list = candidates.map { "\(TokenizeCommand.quoted($0.piece))(\(String(format: "%.3f", $0.probability)))" }
        return TokenizeCommand.quoted(chosen).padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + list.joined(separator: " ")
    }
}
