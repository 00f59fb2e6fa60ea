import Foundation

/// Chooses the next token from the logits: a chain of stages (repetition penalty, top-k, top-p, min-p,
/// temperature), then either the most likely candidate (greedy) or a seeded random draw from what is left.
public struct Sampler {
    /// User-facing knobs, with llama.cpp-like defaults.
    public struct Settings: Sendable {
        /// 0 means greedy (argmax).
        public var temperature: Float = 0.8
        /// 0 disables top-k.
        public var topK: Int = 40
        public var topP: Float = 0.95
        public var minP: Float = 0.05
        /// 1 disables the penalty.
        public var repetitionPenalty: Float = 1
        public var seed: UInt64 = 0

        public init() {}

        /// Greedy decoding: always the argmax.
        public static var greedy: Settings { var s = Settings(); s.temperature = 0; return s }
    }

    public let stages: [any SamplingStage]
    public let isGreedy: Bool
    private var generator: SplitMix64

    public init(_ settings: Settings) {
        var stages: [any SamplingStage] = []
        if settings.repetitionPenalty != 1 { stages.append(RepetitionPenalty(penalty: settings.repetitionPenalty)) }
        isGreedy = settings.temperature <= 0
        if !isGreedy {
            stages.append(TopK(k: settings.topK))
            stages.append(TopP(p: settings.topP))
            stages.append(MinP(minP: settings.minP))
            stages.append(Temperature(temperature: settings.temperature))
        }
        self.stages = stages
        generator = SplitMix64(seed: settings.seed)
    }

    /// The next token after `history`, given the model's logits for it.
    public mutating func sample(logits: [Float], history: [Int]) -> Int {
        var candidates = TokenCandidates(logits: logits)
        for stage in stages { stage.apply(&candidates, history: history) }
        if isGreedy { return Self.argmax(candidates) }
        let probabilities = candidates.probabilities()
        var draw = Float(generator.nextUnit())
        for (i, probability) in probabilities.enumerated() {
            draw -= probability
            if draw < 0 { return candidates.ids[i] }
        }
        return candidates.ids[probabilities.count - 1]  // rounding left a sliver: the last candidate takes it
    }

    /// The candidate with the largest logit (the lowest id among equals).
    static func argmax(_ candidates: TokenCandidates) -> Int {
        var best = 0
        for i in candidates.logits.indices where candidates.logits[i] > candidates.logits[best] { best = i }
        return candidates.ids[best]
    }

    /// The `count` most likely tokens under the model's own distribution (temperature 1, no filtering), with
    /// their probabilities: what `--show-probs` prints.
    public static func topCandidates(logits: [Float], count: Int) -> [(id: Int, probability: Float)] {
        guard let maximum = logits.max() else { return [] }
        var total = 0.0
        for logit in logits { total += Foundation.exp(Double(logit - maximum)) }
        var top = TokenCandidates(logits: logits)
        TopK(k: count).apply(&top, history: [])
        top.keepFirst(count)  // orders them when the vocabulary was not larger than `count`
        return zip(top.ids, top.logits).map { ($0, Float(Foundation.exp(Double($1 - maximum)) / total)) }
    }
}
