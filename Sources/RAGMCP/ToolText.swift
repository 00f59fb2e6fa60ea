import Foundation
import RAGKit
import Retrieval
import Store

/// The text each tool result carries beside its `structuredContent`, for a model or a person that reads
/// text: the same facts, laid out to be read, with whole passages (an agent quotes them) rather than the
/// terminal's 300-character previews.
enum ToolText {
    static func search(_ hits: [SearchHit], mode: SearchMode, explained: Bool = false) -> String {
        guard !hits.isEmpty else { return "no matching passages" }
        return hits.map { hit in
            let place = hit.chunk.pageLabel.map { " \($0)" } ?? ""
            var lines = ["\(hit.rank). \(hit.chunk.documentPath)\(place) #\(hit.chunk.ordinal), characters \(hit.chunk.start)–\(hit.chunk.end), "
                         + "\(mode.rawValue) score " + String(format: "%.4g", hit.score)]
            if !hit.chunk.headingPath.isEmpty { lines.append(hit.chunk.headingPath.joined(separator: " › ")) }
            if explained { lines.append("why: " + hit.explanation.summary) }
            lines.append(hit.chunk.text)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func read(_ report: DocumentTextReport) -> String {
        "\(report.source) (\(report.title)), characters \(report.start)–\(report.end) of \(report.length):\n\n" + report.text
    }

    static func list(_ documents: [StoredDocument]) -> String {
        guard !documents.isEmpty else { return "the index holds no documents" }
        return documents.map { "\(DocumentURI.of($0.id))  \($0.path)  \($0.title)  (\($0.chunkCount) passages)" }
            .joined(separator: "\n")
    }

    static func ask(_ answer: Answer) -> String {
        if let message = answer.notCoveredMessage {
            return message + String(format: " (best sentence similarity %.3f, threshold %.3f%@)", answer.bestSimilarity,
                                    answer.coverageThreshold, answer.sharesTerm ? "" : "; no passage shares a word with the question")
        }
        var parts: [String] = []
        if let searchedAs = answer.retrieval.searchedAs { parts.append("Searched as: " + searchedAs) }
        if let quotes = answer.retrieval.quotes {
            parts.append((["Quoted from the documents:"] + quotes.map { quote in
                "- \(quote.text) (\(quote.source)\(quote.pages.map { " \($0.pageLabel)" } ?? "") #\(quote.chunk))"
            }).joined(separator: "\n"))
        } else if answer.generation == nil {
            parts.append(search(answer.retrieval.hits, mode: .hybrid))
        }
        if let generated = answer.generation {
            var lines = ["Generated answer:", generated.citedText]
            if !generated.citations.isEmpty {
                lines.append("Citations:")
                lines += generated.citations.map { citation in
                    "[\(citation.n)] \(citation.source)\(citation.pages.map { " \($0.pageLabel)" } ?? "") #\(citation.chunk)"
                        + (citation.attributed ? " (attributed by similarity)" : "")
                }
            }
            let unsupported = generated.grounding.filter { !$0.isSupported }
            lines.append("Grounding: \(generated.grounding.count - unsupported.count) of \(generated.grounding.count) sentences supported by the passages"
                         + (unsupported.isEmpty ? "" : "; unsupported: " + unsupported.map { "\"\($0.text)\""
                             + ($0.unbacked.isEmpty ? "" : " (\($0.unbacked.joined(separator: ", ")) in no passage)") }.joined(separator: ", ")))
            parts.append(lines.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    static func ingest(_ summary: IngestSummary, index: String) -> String {
        var lines = ["\(summary.files) files: \(summary.changed) changed (\(summary.added) added, \(summary.replaced) replaced), "
                     + "\(summary.unchanged) unchanged, \(summary.skipped.count) skipped; \(summary.chunks) passages written → \(index)"]
        lines += summary.skipped.map { "skipped \($0.path): \($0.reason)" }
        lines += summary.notes.map { "note: \($0.path): \($0.note)" }
        return lines.joined(separator: "\n")
    }
}
