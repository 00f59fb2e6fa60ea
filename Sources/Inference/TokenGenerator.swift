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

        public var prefillTokensPerSecond: Double { Double(promptTokens.count) / max(prefillSeconds, 1e-9) }
        /// Tokens after the first, over the time spent producing them (the first comes from the prefill).
        public var decodeTokensPerSecond: Double { Double(max(tokens.count - 1, 0)) / max(decodeSeconds, 1e-9) }
    }

    public let model: any LanguageModel
    public let tokenizer: BPETokenizer

    public init(model: any LanguageModel, tokenizer: BPETokenizer) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Generates after `prompt` (starting from an empty cache), calling `onStep` as each token arrives.
    public func generate(prompt: [Int], sampler: Sampler, limits: Limits,
                         onStep: (Step) throws -> Void = { _ in }) throws -> Result {
        var sampler = sampler
        let needed = prompt.count + limits.maxTokens
        if needed > model.contextLength { throw InferenceError.contextFull(limit: model.contextLength, needed: needed) }
        model.reset()
        let prefillStart = Date()
        var logits = try model.append(prompt)
        let prefillSeconds = Date().timeIntervalSince(prefillStart)
        let decodeStart = Date()

        var history = prompt, tokens: [Int] = []
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var text = "", emitted = 0  // `text[..<emitted]` has gone to `onStep`
        var reason = StopReason.maxTokens
        while tokens.count < limits.maxTokens {
            let id = sampler.sample(logits: logits, history: history)
            if tokenizer.specialTokens.endOfGeneration.contains(id) { reason = .endOfGeneration; break }
            tokens.append(id)
            history.append(id)
            text += detokenizer.append(id)
            let candidates = limits.topCandidates > 0
                ? Sampler.topCandidates(logits: logits, count: limits.topCandidates) : []
            if let cut = Self.firstStop(in: text, limits.stopStrings) {
                text = String(text[..<cut])
                reason = .stopString
                try onStep(Step(id: id, text: String(text.dropFirst(emitted)), candidates: candidates))
                break
            }
            let printable = text.count - Self.heldBack(text, limits.stopStrings)
            try onStep(Step(id: id, text: String(text.dropFirst(emitted).prefix(printable - emitted)), candidates: candidates))
            emitted = max(emitted, printable)
            if tokens.count < limits.maxTokens { logits = try model.append([id]) }
        }
        if reason != .stopString {
            text += detokenizer.finish()
            if text.count > emitted { try onStep(Step(id: nil, text: String(text.dropFirst(emitted)), candidates: [])) }
        }
        return Result(promptTokens: prompt, tokens: tokens, text: text, stopReason: reason,
                      prefillSeconds: prefillSeconds, decodeSeconds: Date().timeIntervalSince(decodeStart))
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
