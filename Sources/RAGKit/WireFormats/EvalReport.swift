import Foundation
import Retrieval

/// `rag eval`'s results, as JSON or as a table.
public struct EvalReport: Encodable {
    struct Coverage: Encodable {
        var thresholds: [String: Float]
        var unanswerable: [Line]
        var answerableRefused: [Line]
        var lowestAnswerableSimilarity: Float?
        var highestUnanswerableSimilarity: Float?

        struct Line: Encodable { var q: String; var bestSimilarity: Float; var refused: Bool
            enum CodingKeys: String, CodingKey { case q, bestSimilarity = "best_similarity", refused } }
        enum CodingKeys: String, CodingKey {
            case thresholds, unanswerable, answerableRefused = "answerable_refused"
            case lowestAnswerableSimilarity = "lowest_answerable_similarity", highestUnanswerableSimilarity = "highest_unanswerable_similarity"
        }
    }

    struct Containment: Encodable { var questions: Int; var containing: Int; var rate: Double }

    struct Question: Encodable {
        var line: Int, q: String, sources: [String], rank: Int?, bestSimilarity: Float, bestPassageSimilarity: Float
        var extractiveContains: Bool?, generatedContains: Bool?, generatedAnswer: String?, grounding: [Float]?
        enum CodingKeys: String, CodingKey {
            case line, q, sources, rank, bestSimilarity = "best_similarity", bestPassageSimilarity = "best_passage_similarity"
            case extractiveContains = "extractive_contains"
            case generatedContains = "generated_contains", generatedAnswer = "generated_answer", grounding = "grounding_similarities"
        }
    }

    var file: String
    var searchMode: SearchMode
    var k: Int
    var lexicalWeight: Float
    var overall: RetrievalScores
    var bySource: [String: RetrievalScores]
    var coverage: Coverage
    var extractive: Containment
    var generation: Containment?
    var questions: [Question]

    enum CodingKeys: String, CodingKey {
        case file, searchMode = "search_mode", k, lexicalWeight = "lexical_weight", overall, bySource = "by_source"
        case coverage, extractive, generation, questions
    }

    public init(file: String, searchMode: SearchMode, k: Int, coverage thresholds: CoverageThresholds, lexicalWeight: Float,
         outcomes: [EvalOutcome], generated: Bool) {
        self.file = file; self.searchMode = searchMode; self.k = k; self.lexicalWeight = lexicalWeight
        let answerable = outcomes.filter { !$0.question.sources.isEmpty }
        overall = RetrievalScores(ranks: answerable.map(\.rank))
        var bySource: [String: [Int?]] = [:]
        for outcome in answerable { for source in outcome.question.sources { bySource[source, default: []].append(outcome.rank) } }
        self.bySource = bySource.mapValues(RetrievalScores.init(ranks:))
        let unanswerable = outcomes.filter(\.question.unanswerable)
        coverage = Coverage(
            thresholds: ["zh": thresholds.chinese, "en": thresholds.english],
            unanswerable: unanswerable.map { .init(q: $0.question.question, bestSimilarity: $0.bestSimilarity, refused: !$0.covered) },
            answerableRefused: answerable.filter { !$0.covered }.map { .init(q: $0.question.question, bestSimilarity: $0.bestSimilarity, refused: true) },
            lowestAnswerableSimilarity: answerable.map(\.bestSimilarity).min(),
            highestUnanswerableSimilarity: unanswerable.map(\.bestSimilarity).max())
        func containment(_ values: [Bool]) -> Containment {
            Containment(questions: values.count, containing: values.filter { $0 }.count,
                        rate: values.isEmpty ? 0 : Double(values.filter { $0 }.count) / Double(values.count))
        }
        extractive = containment(outcomes.compactMap(\.extractiveContains))
        generation = generated ? containment(outcomes.compactMap(\.generatedContains)) : nil
        questions = outcomes.map {
            Question(line: $0.question.line, q: $0.question.question, sources: $0.question.sources, rank: $0.rank,
                     bestSimilarity: $0.bestSimilarity, bestPassageSimilarity: $0.bestPassageSimilarity, extractiveContains: $0.extractiveContains,
                     generatedContains: $0.generatedContains, generatedAnswer: $0.generatedAnswer,
                     grounding: $0.groundingSimilarities)
        }
    }

    public var text: String {
        func row(_ name: String, _ s: RetrievalScores) -> String {
            name.padding(toLength: 40, withPad: " ", startingAt: 0)
                + String(format: "%4d  %5.2f %5.2f %5.2f  %6.3f", s.questions, s.recallAt1, s.recallAt5, s.recallAt10, s.mrrAt10)
        }
        var lines = ["Retrieval (\(searchMode.rawValue))".padding(toLength: 40, withPad: " ", startingAt: 0) + "   n    R@1   R@5  R@10  MRR@10"]
        for source in bySource.keys.sorted() { lines.append(row("  " + source, bySource[source]!)) }
        lines.append(row("  overall", overall))
        let f = { (x: Float?) in x.map { String(format: "%.3f", $0) } ?? "-" }
        lines.append("")
        lines.append("Coverage (thresholds zh \(f(coverage.thresholds["zh"])), en \(f(coverage.thresholds["en"])); lowest answerable best similarity \(f(coverage.lowestAnswerableSimilarity)), highest unanswerable \(f(coverage.highestUnanswerableSimilarity)))")
        for line in coverage.unanswerable {
            lines.append("  unanswerable \(line.refused ? "refused " : "ANSWERED") \(f(line.bestSimilarity))  \(line.q)")
        }
        for line in coverage.answerableRefused { lines.append("  answerable   REFUSED  \(f(line.bestSimilarity))  \(line.q)") }
        lines.append("")
        lines.append("Extractive answers (k=\(k), lexical weight \(lexicalWeight)) containing a must_contain string: \(extractive.containing)/\(extractive.questions)")
        if let generation {
            lines.append("Generated answers containing a must_contain string: \(generation.containing)/\(generation.questions)")
        } else {
            lines.append("Generated answers: skipped (--retrieval-only)")
        }
        let misses = questions.filter { !$0.sources.isEmpty && ($0.rank ?? 99) > 1 }
        if !misses.isEmpty {
            lines.append("")
            lines.append("Not first (rank, expected source, question):")
            for miss in misses { lines.append("  \(miss.rank.map(String.init) ?? ">10")  \(miss.sources.joined(separator: ",")): \(miss.q)") }
        }
        return lines.joined(separator: "\n")
    }
}
