/// The stage between a search's rankings and the list of sources it returns: its best `depth` candidates
/// reordered by what the rankings do not see, then its top k kept. `Retriever.search` runs it, so `rag search`,
/// the server's /v1/search, the MCP search tool and `rag eval`'s recall all rank alike.
///
/// Today the stage puts **documents first**: each document's best passage before any document's second (a
/// document-level view), so near-duplicate passages of one page do not push the other candidate pages out of
/// the top k. On the dev corpus R@5 goes from 0.88 to 0.92 (BENCHMARKS.md, "Rerank"). The passages an answer
/// reads skip it: there several passages of the best page beat the best passage of more pages (31 against 25
/// key facts of 84 in the 0.5B model's answers). The decoder as a relevance judge of question and passage
/// was measured too, and ranked worse, at seconds per question.
public struct Reranking: Equatable, Sendable {
    public var documentsFirst: Bool

    /// Candidates reranked: enough for the right page to be among them (the dev corpus's R@10 is 0.93), few
    /// enough that reordering them costs nothing beside the encoder.
    public static let depth = 30

    public static let none = Reranking(documentsFirst: false)
    public static let `default` = Reranking(documentsFirst: true)

    public init(documentsFirst: Bool) { self.documentsFirst = documentsFirst }

    /// Whether reranking changes anything (a search skips the stage, and its longer candidate list, if not).
    public var isActive: Bool { documentsFirst }

    /// `hits` (a search's ranking, best first) reordered and renumbered from 1, each remembering its rank before.
    public func rerank(_ hits: [SearchHit]) -> [SearchHit] {
        guard isActive else { return hits }
        return Self.documentsFirst(hits).enumerated().map { place, hit in
            var hit = hit
            hit.explanation.searchRank = hit.rank
            hit.rank = place + 1
            return hit
        }
    }

    /// Each document's first hit in order, then the others in order.
    static func documentsFirst(_ hits: [SearchHit]) -> [SearchHit] {
        var seen = Set<String>()
        var firsts: [SearchHit] = [], rest: [SearchHit] = []
        for hit in hits {
            if seen.insert(hit.chunk.documentPath).inserted { firsts.append(hit) } else { rest.append(hit) }
        }
        return firsts + rest
    }
}
