import Retrieval

/// `rag search --json` output: {"query", "mode", "hits": [{"rank", "score", "source", "chunk", "start", "end", "text", ...}]}.
public struct SearchReport: Encodable {
    /// `--explain`: the hit's place in each ranking (keys absent where a ranking did not place it).
    public struct Explanation: Encodable, Equatable {
        public var lexicalRank: Int?, bm25: Double?
        public var denseRank: Int?, passageCosine: Float?, bestSentenceCosine: Float?, denseScore: Double?
        public var fusedScore: Double?, denseWeight: Double?
        public var searchRank: Int?
        /// The same in one line of words.
        public var summary: String

        enum CodingKeys: String, CodingKey {
            case lexicalRank = "lexical_rank", bm25, denseRank = "dense_rank", passageCosine = "passage_cosine"
            case bestSentenceCosine = "best_sentence_cosine", denseScore = "dense_score", fusedScore = "fused_score"
            case denseWeight = "dense_weight", searchRank = "search_rank", summary
        }

        public init(_ e: RankExplanation) {
            lexicalRank = e.lexicalRank; bm25 = e.bm25; denseRank = e.denseRank; passageCosine = e.passageCosine
            bestSentenceCosine = e.bestSentenceCosine; denseScore = e.denseScore; fusedScore = e.fusedScore
            denseWeight = e.denseWeight; searchRank = e.searchRank
            summary = e.summary
        }
    }

    public struct Hit: Encodable {
        public var rank: Int
        public var score: Double
        public var source: String
        public var chunk: Int
        /// Where the passage sits in its document's cleaned text: Unicode-scalar offsets, end exclusive (the
        /// offsets `rag mcp`'s read_document takes, so a reader can widen the window around a hit).
        public var start: Int
        public var end: Int
        public var text: String
        public var heading: [String]
        public var title: String
        /// Only for paged documents (PDF): `page` for a passage on one page, `pages` [first, last] otherwise;
        /// both absent (not null) for the others, so their JSON is unchanged.
        public var page: Int?
        public var pages: [Int]?
        /// Only with `--explain` (absent otherwise).
        public var explain: Explanation?

        public init(_ hit: SearchHit) { self.init(hit, explained: false) }

        public init(_ hit: SearchHit, explained: Bool) {
            rank = hit.rank; score = hit.score; source = hit.chunk.documentPath; chunk = hit.chunk.ordinal
            start = hit.chunk.start; end = hit.chunk.end
            text = hit.chunk.text; heading = hit.chunk.headingPath; title = hit.chunk.documentTitle
            let place = PageFields(hit.chunk.pages); page = place.page; pages = place.pages
            explain = explained ? Explanation(hit.explanation) : nil
        }
    }

    public var query: String
    /// The query's Chinese translation when that is what searched (`CrossLanguageSearch`); absent otherwise.
    public var searchedAs: String?
    public var mode: SearchMode
    public var hits: [Hit]

    enum CodingKeys: String, CodingKey { case query, searchedAs = "searched_as", mode, hits }

    /// `explained`: each hit carries its `explain` object.
    public init(query: String, searchedAs: String? = nil, mode: SearchMode, hits: [SearchHit], explained: Bool = false) {
        self.query = query; self.searchedAs = searchedAs; self.mode = mode; self.hits = hits.map { Hit($0, explained: explained) }
    }
}
