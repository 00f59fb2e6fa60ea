import Retrieval

/// `rag search --json` output: {"query", "mode", "hits": [{"rank", "score", "source", "chunk", "text", ...}]}.
public struct SearchReport: Encodable {
    public struct Hit: Encodable {
        public var rank: Int
        public var score: Double
        public var source: String
        public var chunk: Int
        public var text: String
        public var heading: [String]
        public var title: String
        /// Only for paged documents (PDF): `page` for a passage on one page, `pages` [first, last] otherwise;
        /// both absent (not null) for the others, so their JSON is unchanged.
        public var page: Int?
        public var pages: [Int]?

        public init(_ hit: SearchHit) {
            rank = hit.rank; score = hit.score; source = hit.chunk.documentPath; chunk = hit.chunk.ordinal
            text = hit.chunk.text; heading = hit.chunk.headingPath; title = hit.chunk.documentTitle
            let place = PageFields(hit.chunk.pages); page = place.page; pages = place.pages
        }
    }

    public var query: String
    public var mode: SearchMode
    public var hits: [Hit]

    public init(query: String, mode: SearchMode, hits: [SearchHit]) {
        self.query = query; self.mode = mode; self.hits = hits.map(Hit.init)
    }
}
