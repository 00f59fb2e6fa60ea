import Kernels
import Store

/// How dense search scores a passage: the mean of the query's cosine with the passage's own vector and
/// with its best sentence's. A passage vector averages everything the passage says, so a passage that
/// answers the question in one sentence among others on neighbouring topics scores below one that is
/// vaguely about it throughout; its best sentence does not. On eval/corpus-eval.jsonl this lifts dense
/// MRR@10 from 0.770 to 0.80 and hybrid from 0.80 to 0.83 (BENCHMARKS.md, "Sentence-aware dense scoring").
public enum PassageScoring {
    /// The best sentence's share of the score; equal weight to the passage, not tuned per query.
    public static let sentenceWeight: Float = 0.5
    /// Passages ranked by their own vector that are then rescored with their sentences: the rescoring only
    /// reads these candidates' sentence vectors, so search cost stays one scan over passage vectors.
    public static let candidateDepth = 100

    /// A passage without sentence vectors (embedded before they existed, or with no sentence long enough
    /// to quote) keeps its own cosine.
    public static func score(passage: Float, bestSentence: Float?, sentenceWeight: Float = sentenceWeight) -> Float {
        guard let bestSentence else { return passage }
        return (1 - sentenceWeight) * passage + sentenceWeight * bestSentence
    }

    /// The highest cosine between `query` (unit length) and any of `sentences` (unit length, same dimension).
    public static func bestSentence(_ sentences: [SentenceVector], query: [Float]) -> Float? {
        query.withUnsafeBufferPointer { q in
            sentences.lazy.map { sentence in
                sentence.vector.withUnsafeBufferPointer { VectorMath.dot(q.baseAddress!, $0.baseAddress!, count: q.count) }
            }.max()
        }
    }
}
