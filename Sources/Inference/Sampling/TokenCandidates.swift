import Foundation

/// The tokens still in the running during one sampling step, with their logits and, once a stage needs them,
/// probabilities. Stages narrow and reshape this list; the first stage usually cuts the vocabulary to a few dozen.
public struct TokenCandidates {
    public var ids: [Int]
    public var logits: [Float]
    /// Whether `ids` are ordered by descending logit.
    public var isSorted: Bool

    /// Every token of the vocabulary, in id order.
    public init(logits: [Float]) {
        ids = Array(logits.indices)
        self.logits = logits
        isSorted = false
    }

    public init(ids: [Int], logits: [Float], isSorted: Bool) {
        self.ids = ids
        self.logits = logits
        self.isSorted = isSorted
    }

    public var count: Int { ids.count }

    /// Orders the candidates by descending logit (ties by id, so results are reproducible).
    public mutating func sort() {
        guard !isSorted else { return }
        let order = ids.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && ids[$0] < ids[$1]) }
        ids = order.map { ids[$0] }
        logits = order.map { logits[$0] }
        isSorted = true
    }

    /// Keeps the first `count` candidates (after sorting).
    public mutating func keepFirst(_ count: Int) {
        sort()
        ids.removeSubrange(min(count, ids.count)...)
        logits.removeSubrange(min(count, logits.count)...)
    }

    /// Softmax of the logits, in candidate order (double-precision sum; a few dozen to 151936 values).
    public func probabilities() -> [Float] {
        guard let maximum = logits.max() else { return [] }
        let weights = logits.map { Foundation.exp(Double($0 - maximum)) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }
}
