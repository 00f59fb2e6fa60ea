import Foundation
import ModelFiles
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

    /// What the generated answers are worth beyond containment: are their sentences supported, do they cite
    /// a passage of an expected source, do they decline when (and only when) they should, and how fast.
    struct GenerationQuality: Encodable {
        var answers: Int
        var sentences: Int
        var supportedSentences: Int
        /// supportedSentences / sentences.
        var faithfulness: Double
        /// Generated answers to questions with an expected source, and those citing one.
        var answersWithSource: Int
        var citingExpectedSource: Int
        var correctCitationRate: Double
        /// Unanswerable questions, and those rag declined (coverage refused, or the model said the passages do not say).
        var unanswerable: Int
        var correctRefusals: Int
        /// Answerable questions with a generated answer, and those rag declined anyway.
        var answerable: Int
        var falseRefusals: Int
        var medianTimeToFirstTokenMs: Double?
        var medianDecodeTokensPerSecond: Double?
        var medianPromptTokens: Double?

        enum CodingKeys: String, CodingKey {
            case answers, sentences, supportedSentences = "supported_sentences", faithfulness
            case answersWithSource = "answers_with_source", citingExpectedSource = "citing_expected_source"
            case correctCitationRate = "correct_citation_rate", unanswerable, correctRefusals = "correct_refusals"
            case answerable, falseRefusals = "false_refusals", medianTimeToFirstTokenMs = "median_time_to_first_token_ms"
            case medianDecodeTokensPerSecond = "median_decode_tokens_per_second", medianPromptTokens = "median_prompt_tokens"
        }

        init(_ outcomes: [EvalOutcome]) {
            let generated = outcomes.filter { $0.generationReport != nil }
            answers = generated.count
            sentences = generated.reduce(0) { $0 + ($1.groundingSimilarities?.count ?? 0) }
            supportedSentences = generated.reduce(0) { $0 + ($1.supportedSentences ?? 0) }
            faithfulness = sentences == 0 ? 0 : Double(supportedSentences) / Double(sentences)
            let cited = generated.compactMap(\.citesExpectedSource)
            answersWithSource = cited.count
            citingExpectedSource = cited.filter { $0 }.count
            correctCitationRate = cited.isEmpty ? 0 : Double(citingExpectedSource) / Double(cited.count)
            let unanswerableOnes = outcomes.filter(\.question.unanswerable)
            unanswerable = unanswerableOnes.count
            correctRefusals = unanswerableOnes.filter(\.refused).count
            let answerableOnes = generated.filter { !$0.question.unanswerable }
            answerable = answerableOnes.count
            falseRefusals = answerableOnes.filter(\.refused).count
            let reports = generated.compactMap(\.generationReport)
            medianTimeToFirstTokenMs = reports.map(\.timeToFirstTokenMs).median
            medianDecodeTokensPerSecond = reports.filter { $0.generatedTokens > 1 }.map(\.decodeTokensPerSecond).median
            medianPromptTokens = reports.map { Double($0.promptTokens) }.median
        }
    }

    struct Question: Encodable {
        var line: Int, q: String, sources: [String], rank: Int?, bestSimilarity: Float, bestPassageSimilarity: Float
        var extractiveContains: Bool?, generatedContains: Bool?, generatedAnswer: String?, grounding: [Float]?
        var supportedSentences: Int?, unbacked: [String]?, citesExpectedSource: Bool?, saidUnknown: Bool?, refused: Bool
        var timeToFirstTokenMs: Double?, decodeTokensPerSecond: Double?
        var generatedTokens: Int?, draftedTokens: Int?, acceptedDraftTokens: Int?
        enum CodingKeys: String, CodingKey {
            case line, q, sources, rank, bestSimilarity = "best_similarity", bestPassageSimilarity = "best_passage_similarity"
            case extractiveContains = "extractive_contains"
            case generatedContains = "generated_contains", generatedAnswer = "generated_answer", grounding = "grounding_similarities"
            case supportedSentences = "supported_sentences", unbacked, citesExpectedSource = "cites_expected_source"
            case saidUnknown = "said_unknown", refused, timeToFirstTokenMs = "time_to_first_token_ms"
            case decodeTokensPerSecond = "decode_tokens_per_second", generatedTokens = "generated_tokens"
            case draftedTokens = "drafted_tokens", acceptedDraftTokens = "accepted_draft_tokens"
        }
    }

    var file: String
    var searchMode: SearchMode
    var k: Int
    var lexicalWeight: Float
    /// What the generator read of each passage (`PromptContext.name`); nil without generation.
    var context: String?
    /// The decoder that wrote the answers (its short name or file path); nil without generation.
    var generator: String?
    var overall: RetrievalScores
    var bySource: [String: RetrievalScores]
    var coverage: Coverage
    var extractive: Containment
    var generation: Containment?
    var generationQuality: GenerationQuality?
    var questions: [Question]

    enum CodingKeys: String, CodingKey {
        case file, searchMode = "search_mode", k, lexicalWeight = "lexical_weight", context, generator, overall, bySource = "by_source"
        case coverage, extractive, generation, generationQuality = "generation_quality", questions
    }

    public init(file: String, searchMode: SearchMode, k: Int, coverage thresholds: CoverageThresholds, lexicalWeight: Float,
         outcomes: [EvalOutcome], generated: Bool, context: PromptContext = .default,
         generator: String = KnownModel.decoder.shortName!) {
        self.file = file; self.searchMode = searchMode; self.k = k; self.lexicalWeight = lexicalWeight
        self.context = generated ? context.name : nil
        self.generator = generated ? generator : nil
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
        generationQuality = generated ? GenerationQuality(outcomes) : nil
        questions = outcomes.map {
            Question(line: $0.question.line, q: $0.question.question, sources: $0.question.sources, rank: $0.rank,
                     bestSimilarity: $0.bestSimilarity, bestPassageSimilarity: $0.bestPassageSimilarity, extractiveContains: $0.extractiveContains,
                     generatedContains: $0.generatedContains, generatedAnswer: $0.generatedAnswer,
                     grounding: $0.groundingSimilarities, supportedSentences: $0.supportedSentences,
                     unbacked: $0.unbacked, citesExpectedSource: $0.citesExpectedSource, saidUnknown: $0.saidUnknown, refused: $0.refused,
                     timeToFirstTokenMs: $0.generationReport?.timeToFirstTokenMs,
                     decodeTokensPerSecond: $0.generationReport?.decodeTokensPerSecond,
                     generatedTokens: $0.generationReport?.generatedTokens, draftedTokens: $0.generationReport?.draftedTokens,
                     acceptedDraftTokens: $0.generationReport?.acceptedDraftTokens)
        }
    }

    public var text: String {
        var lines = [RetrievalScores.header("Retrieval (\(searchMode.rawValue))")]
        for source in bySource.keys.sorted() { lines.append(bySource[source]!.row("  " + source)) }
        lines.append(overall.row("  overall"))
        let f = { (x: Float?) in x.map { String(format: "%.3f", $0) } ?? "-" }
        lines.append("")
        lines.append("Coverage (thresholds zh \(f(coverage.thresholds["zh"])), en \(f(coverage.thresholds["en"])); lowest answerable best similarity \(f(coverage.lowestAnswerableSimilarity)), highest unanswerable \(f(coverage.highestUnanswerableSimilarity)))")
        for line in coverage.unanswerable {
            lines.append("  unanswerable \(line.refused ? "refused " : "ANSWERED") \(f(line.bestSimilarity))  \(line.q)")
        }
        for line in coverage.answerableRefused { lines.append("  answerable   REFUSED  \(f(line.bestSimilarity))  \(line.q)") }
        lines.append("")
        lines.append("Extractive answers (k=\(k), lexical weight \(lexicalWeight)) containing a must_contain string: \(extractive.containing)/\(extractive.questions)")
        if let generation, let quality = generationQuality {
            lines.append("Generated answers (\(generator ?? "-"), context \(context ?? "-")) containing a must_contain string: \(generation.containing)/\(generation.questions)")
            let ms = { (x: Double?) in x.map { String(format: "%.0f ms", $0) } ?? "-" }
            let rate = { (x: Double?) in x.map { String(format: "%.1f tok/s", $0) } ?? "-" }
            lines.append("  supported sentences (faithfulness): \(quality.supportedSentences)/\(quality.sentences)"
                         + String(format: " (%.1f%%)", 100 * quality.faithfulness))
            lines.append("  answers citing an expected source: \(quality.citingExpectedSource)/\(quality.answersWithSource)")
            lines.append("  declined: unanswerable \(quality.correctRefusals)/\(quality.unanswerable) (correct), "
                         + "answerable \(quality.falseRefusals)/\(quality.answerable) (false)")
            lines.append("  median time to first token \(ms(quality.medianTimeToFirstTokenMs)) for "
                         + "\(quality.medianPromptTokens.map { String(format: "%.0f", $0) } ?? "-") prompt tokens, "
                         + "decode \(rate(quality.medianDecodeTokensPerSecond))")
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

extension RetrievalScores {
    /// The title line of a table of scores.
    static func header(_ title: String) -> String {
        title.padding(toLength: 40, withPad: " ", startingAt: 0) + "   n    R@1   R@5  R@10  MRR@10"
    }

    /// One line of such a table.
    func row(_ name: String) -> String {
        name.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: "%4d  %5.2f %5.2f %5.2f  %6.3f", questions, recallAt1, recallAt5, recallAt10, mrrAt10)
    }
}
