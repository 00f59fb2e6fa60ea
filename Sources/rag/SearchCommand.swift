import ArgumentParser
import Foundation
import RAGKit
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

    @Option(name: .customShort("k"), parsing: .unconditional, help: "Number of passages.")
    var k = 5

    @Flag(help: "Show why each passage ranked where it did: its rank and BM25 score by words, its passage and best-sentence cosines and rank by meaning, the fused score (also in --json, as \"explain\").")
    var explain = false

    @OptionGroup var crossLanguage: CrossLanguageOptions
    @OptionGroup var documents: DocumentFilterOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the query is empty") }
    }

    func run() throws {
        let session = try RAGSession(indexPath: indexOptions.path, parallelism: compute.parallelism)
        let (chosen, hits, searchedAs) = try session.search(query, mode: mode, k: k, filter: documents.filter,
                                                          crossLanguage: crossLanguage.crossLanguage)
        if mode == nil, chosen == .lexical {
            output.note("note: lexical search only (this index has no vectors)")
        }
        if output.json {
            try printJSON(SearchReport(query: query, searchedAs: searchedAs, mode: chosen, hits: hits, explained: explain))
        } else {
            if let searchedAs { print("searched as: " + searchedAs + "\n") }
            print(Self.render(hits, explained: explain))
        }
    }

    /// Readable hits: rank, source, passage number, score, headings, with `explained` why it ranked there, and
    /// the passage (first 300 characters).
    static func render(_ hits: [SearchHit], explained: Bool = false) -> String {
        guard !hits.isEmpty else { return "no matching passages" }
        return hits.map { hit in
            let place = hit.chunk.pageLabel.map { " \($0)" } ?? ""
            var lines = ["\(hit.rank). \(hit.chunk.documentPath.oneLine)\(place) #\(hit.chunk.ordinal)  score " + String(format: "%.4g", hit.score)]
            if !hit.chunk.headingPath.isEmpty { lines.append("   " + hit.chunk.headingPath.joined(separator: " › ")) }
            if explained { lines.append("   why: " + hit.explanation.summary) }
            let flat = hit.chunk.text.split(whereSeparator: \.isNewline).joined(separator: " ")
            lines.append("   " + (flat.count > 300 ? String(flat.prefix(300)) + "…" : flat))
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
