import ArgumentParser
import Foundation
import Retrieval
import Store

extension SearchMode: ExpressibleByArgument {}

/// `rag search QUERY`: the passages that best match a query.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the passages that best match a query.")

    @Argument(help: "What to look for, in Chinese or English.")
    var query: String

    @Option(help: "lexical (BM25 words), dense (encoder cosine of the passage and its best sentence) or hybrid (both, fused by rank). Default: hybrid when the index has vectors, else lexical.")
    var mode: SearchMode?

    @Option(name: .customShort("k"), help: "Number of passages.")
    var k = 5

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let store = try indexOptions.openExisting()
        let embedder = (mode == .lexical) ? nil : try makeEmbedder(threads: compute.parallelism.threads)
        let retriever = Retriever(store: store, embedder: embedder, parallelism: compute.parallelism)
        let chosen = try mode ?? retriever.defaultMode()
        if mode == nil, chosen == .lexical {
            output.note(embedder == nil ? "note: lexical search only (the encoder is not available yet)"
                                        : "note: lexical search only (this index has no vectors)")
        }
        let hits = try retriever.search(query, mode: chosen, k: k)
        if output.json {
            try printJSON(SearchReport(query: query, mode: chosen, hits: hits.map(SearchReport.Hit.init)))
        } else {
            print(Self.render(hits))
        }
    }

    /// Readable hits: rank, source, passage number, score, headings, and the passage (first 300 characters).
    static func render(_ hits: [SearchHit]) -> String {
        guard !hits.isEmpty else { return "no matching passages" }
        return hits.map { hit in
            let place = hit.chunk.pageLabel.map { " \($0)" } ?? ""
            var lines = ["\(hit.rank). \(hit.chunk.documentPath)\(place) #\(hit.chunk.ordinal)  score " + String(format: "%.4g", hit.score)]
            if !hit.chunk.headingPath.isEmpty { lines.append("   " + hit.chunk.headingPath.joined(separator: " › ")) }
            let flat = hit.chunk.text.split(whereSeparator: \.isNewline).joined(separator: " ")
            lines.append("   " + (flat.count > 300 ? String(flat.prefix(300)) + "…" : flat))
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

/// `rag search --json` output: {"query", "mode", "hits": [{"rank", "score", "source", "chunk", "text", ...}]}.
struct SearchReport: Encodable {
    struct Hit: Encodable {
        var rank: Int
        var score: Double
        var source: String
        var chunk: Int
        var text: String
        var heading: [String]
        var title: String
        /// Only for paged documents (PDF): `page` for a passage on one page, `pages` [first, last] otherwise;
        /// both absent (not null) for the others, so their JSON is unchanged.
        var page: Int?
        var pages: [Int]?

        init(_ hit: SearchHit) {
            rank = hit.rank; score = hit.score; source = hit.chunk.documentPath; chunk = hit.chunk.ordinal
            text = hit.chunk.text; heading = hit.chunk.headingPath; title = hit.chunk.documentTitle
            if let range = hit.chunk.pages {
                if range.count == 1 { page = range.lowerBound } else { pages = [range.lowerBound, range.upperBound] }
            }
        }
    }

    var query: String
    var mode: SearchMode
    var hits: [Hit]
}
