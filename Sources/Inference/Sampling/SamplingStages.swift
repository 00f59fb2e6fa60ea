/// One step of the sampling chain: narrows or reshapes the candidates. `history` holds every token of the
/// sequence so far (prompt and generated), oldest first.
public protocol SamplingStage: Sendable {
    func apply(_ candidates: inout TokenCandidates, history: [Int])
}

/// Makes recently seen tokens less likely (CTRL-style): a positive logit is divided by `penalty`, a negative one
/// multiplied, for every token among the last `window` of the history. 1 disables it.
public struct RepetitionPenalty: SamplingStage {
    public var penalty: Float
    public var window: Int

    public init(penalty: Float, window: Int = 64) {
        self.penalty = penalty
        self.window = window
    }

    public func apply(_ candidates: inout TokenCandidates, history: [Int]) {
        let recent = Set(history.suffix(window))
        for i in candidates.ids.indices where recent.contains(candidates.ids[i]) {
            let logit = candidates.logits[i]
            candidates.logits[i] = logit > 0 ? logit / penalty : logit * penalty
        }
    }
}

/// Keeps the `k` most likely tokens. Selects them in one pass with a small sorted buffer instead of sorting the
/// whole vocabulary.
public struct TopK: SamplingStage {
    public var k: Int

    public init(k: Int) { self.k = k }

    public func apply(_ candidates: inout TokenCandidates, history: [Int]) {
        guard k > 0, k < candidates.count else { return }
        if candidates.isSorted { candidates.keepFirst(k); return }
        // `best` holds indices of the k largest logits seen so far, in descending order.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in candidates.ids.indices {
            let logit = candidates.logits[i]
            if best.count == k, logit <= candidates.logits[best[k - 1]] { continue }
            var slot = best.count
            while slot > 0, candidates.logits[best[slot - 1]] < logit { slot -= 1 }
            best.insert(i, at: slot)
            if best.count > k { best.removeLast() }
        }
        candidates = TokenCandidates(ids: best.map { candidates.ids[$0] }, logits: best.map { candidates.logits[$0] },
                                     isSorted: true)
    }
}

/// Nucleus sampling: keeps the smallest set of most likely tokens whose probabilities add up to at least `p`.
public struct TopP: SamplingStage {
    public var p: Float

    public init(p: Float) { self.p = p }

    public func apply(_ candidates: inout TokenCandidates, history: [Int]) {
        guard p < 1 else { return }
        candidates.sort()
        var cumulative: Float = 0
        for (i, probability) in candidates.probabilities().enumerated() {
            cumulative += probability
            if cumulative >= p { candidates.keepFirst(i + 1); return }
        }
    }
}

/// Keeps tokens at least `minP` times as likely as the most likely one.
public struct MinP: SamplingStage {
    public var minP: Float

    public init(minP: Float) { self.minP = minP }

    public func apply(_ candidates: inout TokenCandidates, history: [Int]) {
        guard minP > 0 else { return }
        candidates.sort()
        let probabilities = candidates.probabilities()
        guard let top = probabilities.first else { return }
        let kept = probabilities.firstIndex { $0 < minP * top } ?? probabilities.count
        candidates.keepFirst(max(1, kept))
    }
}

/// Divides the logits by `temperature`: below 1 sharpens the distribution, above 1 flattens it.
public struct Temperature: SamplingStage {
    public var temperature: Float

    public init(temperature: Float) { self.temperature = temperature }

    public func apply(_ candidates: inout TokenCandidates, history: [Int]) {
        guard temperature > 0, temperature != 1 else { return }
        for i in candidates.logits.indices { candidates.logits[i] /= temperature }
    }
}
