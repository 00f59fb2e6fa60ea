import Foundation
import Retrieval
import Store

/// `rag ask`'s terminal view, printed as the answer is computed: the question, the retrieval-based answer
/// with its sources, the generated answer streaming in, its citations, and one "how grounded" line per
/// generated sentence (unsupported ones stand out). Fits 80 columns; colours only on a terminal.
final class AskView {
    let terminal = TerminalText.forStandardOutput
    let mode: AnswerMode
    private var stream: StreamingWrapper?
    private var pieces: [GeneratedPiece] = []

    init(mode: AnswerMode) { self.mode = mode }

    func question(_ text: String) {
        print(TerminalText.wrap(text, first: terminal.styled("Question", .bold) + "  ", indent: "          "))
    }

    func handle(_ event: AnswerEvent) {
        switch event {
        case .retrieved(let retrieved, let covered, let best):
            self.retrieved(retrieved, covered: covered, best: best)
        case .piece(let piece):
            if stream == nil {
                print("\n" + terminal.rule("Generative answer (Qwen2.5, from the passages)"))
                stream = StreamingWrapper(indent: "  ")
            }
            pieces.append(piece)
            stream?.write(piece.text)
        }
    }

    func retrieved(_ retrieved: RetrievedAnswer, covered: Bool, best: Float) {
        guard covered else { return }  // `notCovered` explains, once the answer is complete
        if let quotes = retrieved.quotes {
            print("\n" + terminal.rule("Retrieval-based answer (quoted from the documents)"))
            for quote in quotes {
                print(TerminalText.wrap("“\(quote.text)”", first: "  ", indent: "   "))
                let place = quote.pages.map { " " + $0.pageLabel } ?? ""
                print(terminal.styled("     — \(quote.source)\(place) #\(quote.chunk)  similarity " + format(quote.similarity), .dim))
            }
        }
        print("\n" + terminal.styled(mode == .generate ? "Passages given to the generator" : "Passages", .bold))
        if let searchedAs = retrieved.searchedAs { print(TerminalText.wrap("searched as: " + searchedAs, first: "  ", indent: "    ")) }
        for hit in retrieved.hits {
            let heading = hit.chunk.headingPath.isEmpty ? "" : "  " + hit.chunk.headingPath.joined(separator: " › ")
            let place = hit.chunk.pageLabel.map { " \($0)" } ?? ""
            let line = "[\(hit.rank)] \(hit.chunk.documentPath)\(place) #\(hit.chunk.ordinal)" + heading
            print(TerminalText.wrap(line, first: "  ", indent: "      ")
                  + terminal.styled("  score " + String(format: "%.4f", hit.score), .dim))
        }
    }

    /// The "not covered" message, with the closest passage so the user sees why.
    func notCovered(_ answer: Answer) {
        print("")
        print(TerminalText.wrap(answer.notCoveredMessage ?? "", first: terminal.styled("✗ ", .yellow), indent: "  "))
        if let top = answer.retrieval.hits.first {
            let why = answer.bestSimilarity < answer.coverageThreshold
                ? "best sentence similarity " + format(answer.bestSimilarity) + " < threshold " + format(answer.coverageThreshold)
                : "no passage shares a word with the question"
            print(terminal.styled("  closest passage: \(top.chunk.documentPath) #\(top.chunk.ordinal); " + why, .dim))
        }
    }

    func finish(_ answer: Answer) {
        if !answer.covered { return notCovered(answer) }
        guard let generation = answer.generation else { return }
        stream?.finish()
        if generation.citations.isEmpty {
            print(terminal.styled("  (no passage cited or supporting)", .yellow))
        } else {
            if generation.citations.contains(where: \.attributed) {
                print(terminal.styled("\n  With citations (those the model left out added from the grounding check)", .bold))
                print(TerminalText.wrap(generation.citedText, first: "  ", indent: "  "))
            }
            print(terminal.styled("\n  Cited", .bold))
            for citation in generation.citations {
                print("  [\(citation.n)] \(citation.source)\(citation.pages.map { " " + $0.pageLabel } ?? "") #\(citation.chunk)"
                      + terminal.styled(citation.attributed ? "  (attributed by similarity)" : "  (cited by the model)", .dim))
            }
        }
        if !generation.invalidCitations.isEmpty {
            print(terminal.styled("  cites passages that were not given: " + generation.invalidCitations.map { "[\($0)]" }.joined(separator: " "), .red))
        }
        let report = generation.report
        print(terminal.styled(String(format: "  %d prompt tokens (%d passages) · first token after %.0f ms · %d tokens at %.1f tokens/s",
                                     report.promptTokens, generation.prompt.passages.count, report.timeToFirstTokenMs,
                                     report.generatedTokens, report.decodeTokensPerSecond), .dim))
        grounding(generation.grounding)
        if !pieces.isEmpty, pieces.contains(where: { !$0.candidates.isEmpty }) { probabilities() }
    }

    func grounding(_ sentences: [GroundedSentence]) {
        guard !sentences.isEmpty else { return }
        print("\n" + terminal.rule("How grounded (closest passage sentence, encoder similarity)"))
        for sentence in sentences {
            let mark = sentence.isSupported ? terminal.styled("✓", .green) : terminal.styled("✗", .red)
            let preview = sentence.text.count > 60 ? String(sentence.text.prefix(59)) + "…" : sentence.text
            print(TerminalText.wrap(preview, first: "  \(mark) ", indent: "    "))
            let passage = sentence.bestPassage.map { "[\($0)] " } ?? ""
            let whereFrom = sentence.bestSource.map { "\(passage)\($0) #\(sentence.bestChunk ?? 0)" } ?? "no passage"
            let unbacked = sentence.unbacked.isEmpty ? ""
                : ": " + sentence.unbacked.joined(separator: ", ") + " in no passage"
            let verdict = sentence.isSupported ? "" : terminal.styled("  unsupported" + unbacked, .red)
            print(terminal.styled("    ← \(whereFrom)  similarity " + format(sentence.similarity), .dim) + verdict)
        }
    }

    /// --show-probs: each generated token with the candidates the sampler weighed.
    func probabilities() {
        print("\n" + terminal.rule("Token choices (top 5 candidates, probability)"))
        for piece in pieces where !piece.candidates.isEmpty {
            let shown = piece.candidates.map { "\(visible($0.text)) " + String(format: "%.2f", $0.probability) }
            print(TerminalText.wrap(shown.joined(separator: " · "), first: "  \(visible(piece.text)) ← ", indent: "      "))
        }
    }

    func visible(_ token: String) -> String {
        "«" + token.replacingOccurrences(of: "\n", with: "⏎") + "»"
    }

    func format(_ value: Float) -> String { String(format: "%.3f", value) }
}
