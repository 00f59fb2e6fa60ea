import ArgumentParser
import Inference
import Retrieval

/// How the generator chooses each token and when it stops: shared by `rag generate` and `rag ask`.
struct SamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Sampling temperature; 0 always takes the most probable token (greedy, deterministic).")
    var temperature: Float = 0

    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Sample only among the k most probable tokens (0: all).")
    var topK = 40

    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Sample only among the most probable tokens whose probabilities add up to p.")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), parsing: .unconditional, help: "Drop tokens less than this fraction as probable as the best one.")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), parsing: .unconditional, help: "Penalty for tokens among the last 64 (1: none).")
    var repeatPenalty: Float = 1

    @Option(parsing: .unconditional, help: "Random seed, so a sampled text can be reproduced.")
    var seed: UInt64 = 42

    @Option(name: .customLong("max-tokens"), parsing: .unconditional, help: "Most tokens to generate.")
    var maxTokens = 256

    @Option(name: .customLong("prompt-lookup"), parsing: .unconditional,
            help: ArgumentHelp("""
                Prompt-lookup decoding: draft up to n tokens from where the text's last words occur earlier in the prompt, \
                and check them all in one pass (0: one token per pass). The output is the same; it comes faster when it \
                copies from the prompt.
                """, valueName: "n"))
    var promptLookup = GenerationSettings.defaultPromptLookupDraft

    @Flag(name: .customLong("show-probs"), help: "Show, for each generated token, the 5 most probable candidates.")
    var showProbs = false

    func validate() throws {
        if !(temperature >= 0 && temperature.isFinite) { throw ValidationError("--temperature must be a number, 0 or more") }
        if topK < 0 { throw ValidationError("--top-k must be 0 or more") }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        if !(minP >= 0 && minP < 1) { throw ValidationError("--min-p must be in [0, 1)") }
        if !(repeatPenalty > 0 && repeatPenalty.isFinite) { throw ValidationError("--repeat-penalty must be a number above 0") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if !(0...64).contains(promptLookup) { throw ValidationError("--prompt-lookup must be between 0 and 64") }
    }

    var settings: GenerationSettings {
        GenerationSettings(temperature: temperature, topK: topK, topP: topP, minP: minP, repetitionPenalty: repeatPenalty,
                           seed: seed, maxTokens: maxTokens,
                           candidatesPerToken: showProbs ? 5 : 0, promptLookupDraft: promptLookup)
    }
}
