import Retrieval

/// `rag search --json` output: {"query", "mode", "hits": [{"rank", "score", "source", "chunk", "start", "end", "text", ...}]}.
public struct SearchReport: Encodable {
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

        public init(_ hit: SearchHit) {
            rank = hit.rank; score = hit.score; source = hit.chunk.documentPath; chunk = hit.chunk.ordinal
            start = hit.chunk.start; end = hit.chunk.end
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
