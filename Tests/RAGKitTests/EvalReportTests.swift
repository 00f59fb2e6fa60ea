@testable import RAGKit
@testable import Retrieval
import XCTest

/// `rag eval`'s aggregation: recall and MRR per source and overall, the coverage lines the thresholds were
/// calibrated from, and the containment counts, on outcomes made by hand.
final class EvalReportTests: XCTestCase {
    func outcome(_ line: Int, sources: [String], rank: Int?, best: Float, covered: Bool,
                 extractive: Bool? = nil, generated: Bool? = nil) -> EvalOutcome {
        EvalOutcome(question: EvalQuestion(line: line, question: "q\(line)", sources: sources, mustContain: [], unanswerable: sources.isEmpty),
                    rank: rank, bestSimilarity: best, bestPassageSimilarity: best, covered: covered,
                    extractiveContains: extractive, generatedContains: generated, generatedAnswer: nil, groundingSimilarities: nil)
    }

    var outcomes: [EvalOutcome] {
        [outcome(1, sources: ["a.md"], rank: 1, best: 0.95, covered: true, extractive: true, generated: true),
         outcome(2, sources: ["a.md"], rank: 3, best: 0.90, covered: true, extractive: false, generated: true),
         outcome(3, sources: ["b.md"], rank: nil, best: 0.86, covered: false, extractive: false),
         outcome(4, sources: ["a.md", "b.md"], rank: 2, best: 0.89, covered: true),
         outcome(5, sources: [], rank: nil, best: 0.87, covered: false),
         outcome(6, sources: [], rank: nil, best: 0.88, covered: true)]
    }

    func testRetrievalScoresPerSourceAndOverall() {
        let report = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                outcomes: outcomes, generated: true)
        XCTAssertEqual(report.overall.questions, 4, "unanswerable questions have no rank to score")
        XCTAssertEqual(report.overall.recallAt1, 0.25)
        XCTAssertEqual(report.overall.recallAt5, 0.75)
        XCTAssertEqual(report.overall.mrrAt10, (1 + 1.0 / 3 + 0 + 0.5) / 4, accuracy: 1e-12)
        XCTAssertEqual(report.bySource["a.md"]?.questions, 3, "a question with two sources counts for both")
        XCTAssertEqual(report.bySource["b.md"]?.recallAt10, 0.5)
    }

    func testCoverageLinesAreWhatTheThresholdsAreCalibratedFrom() {
        let report = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                outcomes: outcomes, generated: false)
        XCTAssertEqual(report.coverage.lowestAnswerableSimilarity, 0.86)
        XCTAssertEqual(report.coverage.highestUnanswerableSimilarity, 0.88)
        XCTAssertEqual(report.coverage.unanswerable.map(\.refused), [true, false])
        XCTAssertEqual(report.coverage.answerableRefused.map(\.q), ["q3"])
        XCTAssertTrue(report.text.contains("unanswerable ANSWERED 0.880  q6"))
        XCTAssertTrue(report.text.contains("answerable   REFUSED  0.860  q3"))
    }

    func testContainmentCountsOnlyQuestionsThatCarryAnExpectation() {
        let generated = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                   outcomes: outcomes, generated: true)
        XCTAssertEqual(generated.extractive.questions, 3)
        XCTAssertEqual(generated.extractive.containing, 1)
        XCTAssertEqual(generated.generation?.containing, 2)
        XCTAssertEqual(generated.generation?.rate ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(generated.generator, "qwen-0.5b")
        let larger = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                outcomes: outcomes, generated: true, generator: "qwen-1.5b")
        XCTAssertTrue(larger.text.contains("Generated answers (qwen-1.5b, context passages)"), larger.text)
        let retrievalOnly = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                       outcomes: outcomes, generated: false)
        XCTAssertNil(retrievalOnly.generation)
        XCTAssertNil(retrievalOnly.generator)
        XCTAssertTrue(retrievalOnly.text.contains("Generated answers: skipped"))
    }

    /// Faithfulness, correct citations and refusals from generated outcomes: an unanswerable question the model
    /// declined counts as a correct refusal even though coverage let it through; an answerable one it declined
    /// is a false refusal.
    func testGenerationQualityCountsSupportCitationsAndRefusals() {
        func generated(_ base: EvalOutcome, supported: Int, of total: Int, cites: Bool?, unknown: Bool, ttft: Double) -> EvalOutcome {
            var o = base
            o.groundingSimilarities = Array(repeating: 0.9, count: total)
            o.supportedSentences = supported
            o.citesExpectedSource = cites
            o.saidUnknown = unknown
            o.generationReport = GenerationReport(promptTokens: 100, generatedTokens: 20, timeToFirstTokenMs: ttft,
                                                  decodeTokensPerSecond: 40, stopReason: "eos")
            return o
        }
        let outcomes = [
            generated(outcome(1, sources: ["a.md"], rank: 1, best: 0.95, covered: true), supported: 3, of: 3, cites: true, unknown: false, ttft: 1000),
            generated(outcome(2, sources: ["a.md"], rank: 3, best: 0.90, covered: true), supported: 1, of: 2, cites: false, unknown: true, ttft: 3000),
            generated(outcome(6, sources: [], rank: nil, best: 0.88, covered: true), supported: 0, of: 1, cites: nil, unknown: true, ttft: 2000),
            outcome(5, sources: [], rank: nil, best: 0.87, covered: false),
        ]
        let report = EvalReport(file: "e.jsonl", searchMode: .hybrid, k: 5, coverage: .calibrated, lexicalWeight: 0.3,
                                outcomes: outcomes, generated: true)
        let quality = try! XCTUnwrap(report.generationQuality)
        XCTAssertEqual(quality.answers, 3)
        XCTAssertEqual(quality.supportedSentences, 4)
        XCTAssertEqual(quality.sentences, 6)
        XCTAssertEqual(quality.citingExpectedSource, 1)
        XCTAssertEqual(quality.answersWithSource, 2)
        XCTAssertEqual(quality.correctRefusals, 2, "one by coverage, one by the model")
        XCTAssertEqual(quality.unanswerable, 2)
        XCTAssertEqual(quality.falseRefusals, 1)
        XCTAssertEqual(quality.answerable, 2)
        XCTAssertEqual(quality.medianTimeToFirstTokenMs, 2000)
        XCTAssertTrue(report.text.contains("supported sentences (faithfulness): 4/6"), report.text)
        XCTAssertTrue(report.text.contains("declined: unanswerable 2/2 (correct), answerable 1/2 (false)"), report.text)
    }
}
