import Foundation

/// Why a passage ranked where it did (`--explain`): its place and score in each ranking the search ran, and
/// how they combined. Scores a ranking did not compute, or where the passage was not among its candidates,
/// are nil.
public struct RankExplanation: Equatable, Sendable {
    /// The search that ranked it: which of the rankings below ran.
    public var mode: SearchMode
    /// 1-based rank and BM25 score by words (higher is better; the full-text index's weights).
    public var lexicalRank: Int?
    public var bm25: Double?
    /// 1-based rank by meaning, and what the dense score is made of: the passage's own cosine with the query,
    /// its best sentence's cosine, and their blend (`PassageScoring`).
    public var denseRank: Int?
    public var passageCosine: Float?
    public var bestSentenceCosine: Float?
    public var denseScore: Double?
    /// Hybrid only: the fused score, w · normalised dense score + (1 − w) · normalised BM25 (`Fusion.convex`,
    /// the default), or Σ 1 / (60 + rank) over the rankings that found the passage (`Fusion.reciprocalRank`).
    public var fusedScore: Double?
    /// Convex fusion only: the share w of meaning in `fusedScore` (the rest is words), for the question's language.
    public var denseWeight: Double?
    /// Reranked searches only (`Reranking`): the hit's rank in the search's own ranking, before the rerank.
    public var searchRank: Int?

    public init(mode: SearchMode) { self.mode = mode }

    /// One line for a terminal: "words #3 (BM25 7.81) · meaning #1 (passage 0.871, sentence 0.902 → 0.887) · fused 0.0325".
    public var summary: String {
        var parts: [String] = []
        if mode != .dense {
            if let lexicalRank, let bm25 { parts.append("words #\(lexicalRank) (BM25 " + format(bm25, "%.2f") + ")") }
            else { parts.append("words: not among the candidates") }
        }
        if mode != .lexical {
            if let denseRank, let denseScore {
                let sentence = bestSentenceCosine.map { ", sentence " + format(Double($0), "%.3f") } ?? ""
                parts.append("meaning #\(denseRank) (passage " + format(Double(passageCosine ?? 0), "%.3f") + sentence
                             + " → " + format(denseScore, "%.3f") + ")")
            } else {
                parts.append("meaning: not among the candidates")
            }
        }
        if let fusedScore {
            let weights = denseWeight.map { " = " + format($0, "%.1f") + " × meaning + " + format(1 - $0, "%.1f") + " × words, each scaled to 0…1" } ?? ""
            parts.append("fused " + format(fusedScore, "%.4f") + weights)
        }
        if let searchRank { parts.append("search rank #\(searchRank), before each document's best passage was put first") }
        return parts.joined(separator: " · ")
    }

    private func format(_ value: Double, _ pattern: String) -> String { String(format: pattern, value) }
}
