import Store

/// How much of each retrieved passage the generator is shown.
public enum PromptContext: Equatable, Sendable {
    /// Each passage from its start, as many whole sentences as the budget leaves room for.
    case passages
    /// Each passage's `best` sentences closest in meaning to the question, with `neighbours` sentences on
    /// either side, in document order, under the headings the passage sits in. A shorter prompt is a faster
    /// first token on two cores, and it points a small model at the sentences that answer.
    case focused(best: Int, neighbours: Int)

    /// Chosen with `rag eval` on eval/corpus-eval.jsonl (BENCHMARKS.md, "Focused context"): every focused
    /// context measured gave the 0.5B model fewer answers with the key fact and more false refusals.
    public static let `default` = PromptContext.passages
    /// What a bare "focused" means: the focused context that measured best.
    public static let focusedDefault = PromptContext.focused(best: 2, neighbours: 1)

    /// "passages", or "focused:B,N" as `--context` takes it.
    public var name: String {
        switch self {
        case .passages: return "passages"
        case .focused(let best, let neighbours): return "focused:\(best),\(neighbours)"
        }
    }

    /// Parses `name`; "focused" alone is `focusedDefault`.
    public init?(name: String) {
        if name == "passages" { self = .passages; return }
        guard name == "focused" || name.hasPrefix("focused:") else { return nil }
        guard name != "focused" else { self = Self.focusedDefault; return }
        let counts = name.dropFirst("focused:".count).split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard counts.count == 2, let best = counts[0], let neighbours = counts[1], best >= 1, neighbours >= 0 else { return nil }
        self = .focused(best: best, neighbours: neighbours)
    }
}

/// The part of a retrieved passage that goes into the prompt: some of its sentences in document order, with
/// `gap` where sentences between two of them were left out, and the headings the passage sits under.
public struct PassageExcerpt: Equatable, Sendable {
    public var chunk: StoredChunk
    /// Sentences in document order, `gap` between two that are not neighbours in the passage.
    public var sentences: [String]
    /// Headings, outermost first, shown before the sentences (empty: none shown).
    public var headings: [String]
    /// True when some of the passage's sentences are not in `sentences`.
    public var leavesOut: Bool

    /// Marks left-out sentences between two shown ones.
    public static let gap = "…"

    /// The whole passage, as the prompt showed it before focused context.
    public init(whole chunk: StoredChunk) {
        self.chunk = chunk
        sentences = PromptBuilder.sentences(of: chunk.text)
        headings = []
        leavesOut = false
    }

    init(chunk: StoredChunk, sentences: [String], headings: [String], leavesOut: Bool) {
        self.chunk = chunk; self.sentences = sentences; self.headings = headings; self.leavesOut = leavesOut
    }

    /// The excerpts `context` asks for. `similarities` are the question's cosines with `pool`'s sentences, in
    /// pool order. A sentence shown in an earlier (better-ranked) excerpt is not repeated: overlapping chunks
    /// of one document share sentences.
    public static func excerpts(of chunks: [StoredChunk], context: PromptContext, pool: PassageSentences,
                                similarities: [Float]) -> [PassageExcerpt] {
        guard case .focused(let best, let neighbours) = context else { return chunks.map(PassageExcerpt.init(whole:)) }
        var score: [String: Float] = [:]
        for (sentence, similarity) in zip(pool.sentences, similarities) { score[sentence.text] = similarity }
        var shown: Set<String> = []
        return chunks.map { chunk in
            let all = PromptBuilder.sentences(of: chunk.text)
            let fresh = all.indices.filter { !shown.contains(all[$0]) }
            // Sentences too short to have a vector (headings, list stubs) are never picked, but may be neighbours.
            let ranked = fresh.filter { score[all[$0]] != nil }.sorted { (score[all[$0]]!, $1) > (score[all[$1]]!, $0) }
            var picked = Set<Int>()
            for index in ranked.prefix(best) {
                for near in max(0, index - neighbours)...min(all.count - 1, index + neighbours) where !shown.contains(all[near]) {
                    picked.insert(near)
                }
            }
            // Every excerpt shows something: the numbering of the prompt's passages follows the retrieved order.
            if picked.isEmpty { picked = Set((fresh.isEmpty ? Array(all.indices) : fresh).prefix(1)) }
            var sentences: [String] = []
            var previous: Int?
            for index in picked.sorted() {
                if let previous, index != previous + 1 { sentences.append(gap) }
                sentences.append(all[index])
                shown.insert(all[index])
                previous = index
            }
            let headings = chunk.headingPath.isEmpty ? [chunk.documentTitle].filter { !$0.isEmpty } : chunk.headingPath
            return PassageExcerpt(chunk: chunk, sentences: sentences, headings: headings, leavesOut: picked.count < all.count)
        }
    }
}
