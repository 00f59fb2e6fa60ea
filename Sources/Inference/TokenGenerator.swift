import Foundation
import Tokenization

/// Generates a continuation token by token: prefill the prompt, then sample → append → repeat until an
/// end-of-generation token, a stop string or the token limit. Text is streamed through a `StreamingDetokenizer`
/// (never half a UTF-8 character) and held back while it could still be the start of a stop string.
public final class TokenGenerator {
    /// When to stop, and what to report per step.
    public struct Limits: Sendable {
        public var maxTokens: Int
        /// Extra texts that end the answer (not included in it).
        public var stopStrings: [String]
        /// Candidates reported per step (0: none; `--show-probs` uses 5).
        public var topCandidates: Int

        public init(maxTokens: Int, stopStrings: [String] = [], topCandidates: Int = 0) {
            self.maxTokens = maxTokens
            self.stopStrings = stopStrings
            self.topCandidates = topCandidates
        }
    }

    /// One generated token: its id, the text that became printable with it, and optionally the model's top choices.
    public struct Step {
        /// nil for the final flush of text held back at the end.
        public let id: Int?
        public let text: String
        public let candidates: [(id: Int, probability: Float)]
    }

    /// Why generation ended.
    public enum StopReason: String, Sendable { case endOfGeneration, stopString, maxTokens }

    /// Everything one generation produced, with its timings.
    public struct Result {
        public let promptTokens: [Int]
        public let tokens: [Int]
        public let text: String
        public let stopReason: StopReason
        public let prefillSeconds: Double
        public let decodeSeconds: Double
        /// Leading prompt tokens taken from the cache instead of prefilled (see `reusesCache`).
        public let reusedPromptTokens: Int
        /// Tokens drafted by `promptLookup`, and how many of them the model's own choices confirmed.
        public let draftedTokens: Int
        public let acceptedDraftTokens: Int

        public var prefillTokensPerSecond: Double { Double(promptTokens.count) / max(prefillSeconds, 1e-9) }
        /// Tokens after the first, over the time spent producing them (the first comes from the prefill).
        public var decodeTokensPerSecond: Double { Double(max(tokens.count - 1, 0)) / max(decodeSeconds, 1e-9) }
    }

    public let model: any LanguageModel
    public let tokenizer: BPETokenizer
    /// Whether a generation keeps the cached keys and values of the longest prefix its prompt shares with
    /// what the model last saw, and prefills only the rest (llama-server's `cache_prompt`). Every answer's
    /// prompt opens with the same template and system text, so a server skips that part from the second
    /// question on. Off: every generation starts from an empty cache.
    public var reusesCache = false
    /// Drafts the next tokens from the prompt and checks them in one pass (`PromptLookup`); nil decodes one
    /// token per pass. Either way the same tokens come out, for sampled as for greedy decoding: every position's
    /// token is still drawn by the sampler from logits bit-identical to plain decoding's, in the same order, and
    /// a draft is kept only as long as it equals those draws.
    public var promptLookup: PromptLookup?
    /// The tokens whose keys and values the model's cache holds, in order (kept only with `reusesCache`).
    private var cached: [Int] = []

    public init(model: any LanguageModel, tokenizer: BPETokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Generates after `prompt` (from an empty cache, or the shared prefix of the last one with `reusesCache`),
    /// calling `onStep` as each token arrives; an error `onStep` throws stops generation and is rethrown.
    public func generate(prompt: [Int], sampler: Sampler, limits: Limits,
                         onStep: (Step) throws -> Void = { _ in }) throws -> Result {
        let needed = prompt.count + limits.maxTokens
        if needed > model.contextLength { throw InferenceError.contextFull(limit: model.contextLength, needed: needed) }
        // Whatever happens below, `cached` must describe the model's cache; after an error, trust neither.
        do {
            return try run(prompt: prompt, sampler: sampler, limits: limits, onStep: onStep)
        } catch {
            model.reset()
            cached = []
            throw error
        }
    }

    /// Prompt tokens that can stay in the cache: the shared prefix, less one, since the last prompt token
    /// must be run again to give the logits of the first answer token.
    static func reusablePrefix(cached: [Int], prompt: [Int]) -> Int {
        var shared = 0
        while shared < min(cached.count, prompt.count), cached[shared] == prompt[shared] { shared += 1 }
        return min(shared, prompt.count - 1)
    }

    private func run(prompt: [Int], sampler: Sampler, limits: Limits, onStep: (Step) throws -> Void) throws -> Result {
        var sampler = sampler
        let reused = reusesCache ? max(0, Self.reusablePrefix(cached: cached, prompt: prompt)) : 0
        if reused > 0 { model.rewind(to: reused) } else { model.reset() }
        cached = Array(prompt[..<reused])
        let prefillStart = Date()
        var logits = try model.append(Array(prompt[reused...]))
        if reusesCache { cached = prompt }
        let prefillSeconds = Date().timeIntervalSince(prefillStart)
        let decodeStart = Date()

        var history = prompt, tokens: [Int] = []
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var text = "", emitted = 0  // `text[..<emitted]` has gone to `onStep`
        var reason = StopReason.maxTokens
        var drafted = 0, accepted = 0

        /// Takes `id`, chosen from `logits`, as the next token; false when generation ends with it.
        func take(_ id: Int, from logits: [Float]) throws -> Bool {
            if tokenizer.specialTokens.endOfGeneration.contains(id) { reason = .endOfGeneration; return false }
            tokens.append(id)
            history.append(id)
            text += detokenizer.append(id)
            let candidates = limits.topCandidates > 0
                ? Sampler.topCandidates(logits: logits, count: limits.topCandidates) : []
            if let cut = Self.firstStop(in: text, limits.stopStrings) {
                text = String(text[..<cut])
                reason = .stopString
                try onStep(Step(id: id, text: String(text.dropFirst(emitted)), candidates: candidates))
                return false
            }
            let printable = text.count - Self.heldBack(text, limits.stopStrings)
            try onStep(Step(id: id, text: String(text.dropFirst(emitted).prefix(printable - emitted)), candidates: candidates))
            emitted = max(emitted, printable)
            return tokens.count < limits.maxTokens
        }

        var id = sampler.sample(logits: logits, history: history)
        var draftLength = promptLookup?.draftLength ?? 0
        generation: while limits.maxTokens > 0, try take(id, from: logits) {
            // Room for the drafts and the token after them.
            let draft = promptLookup?.draft(after: history, limit: min(draftLength, limits.maxTokens - tokens.count - 1)) ?? []
            if draft.isEmpty {
                logits = try model.append([id])
                if reusesCache { cached.append(id) }
                id = sampler.sample(logits: logits, history: history)
                continue
            }
            let start = model.position
            let steps = try model.appendSteps([id] + draft)
            if reusesCache { cached.append(id) }
            drafted += draft.count
            // steps[i] predicts the token after draft[i - 1]; draft[i] stands while the sampler picks it.
            var i = 0
            id = sampler.sample(logits: steps[0], history: history)
            while i < draft.count, id == draft[i] {
                accepted += 1
                if reusesCache { cached.append(id) }
                guard try take(id, from: steps[i]) else {
                    model.rewind(to: start + 1 + i + 1)
                    break generation
                }
                i += 1
                id = sampler.sample(logits: steps[i], history: history)
            }
            model.rewind(to: start + 1 + i)
            logits = steps[i]
            draftLength = promptLookup?.nextLength(after: draftLength, drafted: draft.count, kept: i) ?? 0
        }
        if reason != .stopString {
            text += detokenizer.finish()
            if text.count > emitted { try onStep(Step(id: nil, text: String(text.dropFirst(emitted)), candidates: [])) }
        }
        return Result(promptTokens: prompt, tokens: tokens, text: text, stopReason: reason,
                      prefillSeconds: prefillSeconds, decodeSeconds: Date().timeIntervalSince(decodeStart),
                      reusedPromptTokens: reused, draftedTokens: drafted, acceptedDraftTokens: accepted)
    }

    /// Where the earliest stop string starts in `text`, if any.
    static func firstStop(in text: String, _ stops: [String]) -> String.Index? {
        stops.filter { !$0.isEmpty }.compactMap { text.range(of: $0)?.lowerBound }.min()
    }

    /// Characters at the end of `text` that could still grow into a stop string (not safe to print yet).
    static func heldBack(_ text: String, _ stops: [String]) -> Int {
        var longest = 0
        for stop in stops where !stop.isEmpty {
            for length in stride(from: min(stop.count - 1, text.count), to: longest, by: -1)
            where text.hasSuffix(stop.prefix(length)) {
                longest = length
                break
            }
        }
        return longest
    }
}
