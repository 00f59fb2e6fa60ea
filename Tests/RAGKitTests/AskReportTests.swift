import XCTest
@testable import RAGKit
@testable import Retrieval
import Store

final class AskReportTests: XCTestCase {
    func json(_ report: AskReport) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    }

    func testRetrieveModeSetsGenerationToNull() throws {
        let answer = Answer(question: "什么是预训练", mode: .retrieve, language: .chinese, bestSimilarity: 0.9, bestPassageSimilarity: 0.9, coverageThreshold: 0.8, sharesTerm: true, covered: true,
                            retrieval: RetrievedAnswer(hits: [], quotes: []), generation: nil)
        let object = try json(AskReport(answer: answer, pieces: nil))
        XCTAssertEqual(object["question"] as? String, "什么是预训练")
        XCTAssertEqual(object["mode"] as? String, "retrieve")
        XCTAssertTrue(object["generation"] is NSNull, "present and null")
        XCTAssertTrue(object["message"] is NSNull)
        let retrieval = try XCTUnwrap(object["retrieval"] as? [String: Any])
        XCTAssertNotNil(retrieval["hits"] as? [Any])
        XCTAssertEqual(retrieval["answer"] as? String, "")
    }

    func testNotCoveredHasAMessageAndNoAnswers() throws {
        let answer = Answer(question: "量子计算机的工作原理是什么", mode: .compare, language: .chinese, bestSimilarity: 0.7, bestPassageSimilarity: 0.7, coverageThreshold: 0.8, sharesTerm: true,
                            covered: false, retrieval: RetrievedAnswer(hits: [], quotes: nil), generation: nil)
        let object = try json(AskReport(answer: answer, pieces: nil))
        XCTAssertEqual(object["covered"] as? Bool, false)
        XCTAssertEqual(object["message"] as? String, QuestionLanguage.chinese.notCoveredMessage)
        let retrieval = try XCTUnwrap(object["retrieval"] as? [String: Any])
        XCTAssertTrue(retrieval["answer"] is NSNull)
        XCTAssertTrue(object["generation"] is NSNull)
    }

    func testGenerationPartCarriesCitationsAndTimings() throws {
        let prompt = AnswerPrompt(system: "s", user: "u", passages: [], language: .chinese, tokenCount: 10)
        let generated = GeneratedAnswer(
            prompt: prompt, text: "预训练是第一阶段[1]。", citedText: "预训练是第一阶段[1]。", citations: [Citation(n: 1, source: "Corpus/09-pretraining.md", chunk: 0)],
            invalidCitations: [], grounding: [GroundedSentence(text: "预训练是第一阶段[1]。", cited: [1], bestSource: "Corpus/09-pretraining.md",
                                                               bestChunk: 0, bestPassage: 1, bestSentence: "x", similarity: 0.9, isSupported: true)],
            saidUnknown: false,
            report: GenerationReport(promptTokens: 10, generatedTokens: 8, timeToFirstTokenMs: 120, decodeTokensPerSecond: 20, stopReason: "eos"))
        let answer = Answer(question: "什么是预训练", mode: .generate, language: .chinese, bestSimilarity: 0.9, bestPassageSimilarity: 0.9, coverageThreshold: 0.8, sharesTerm: true, covered: true,
                            retrieval: RetrievedAnswer(hits: [], quotes: nil), generation: generated)
        let object = try json(AskReport(answer: answer, pieces: nil))
        let generation = try XCTUnwrap(object["generation"] as? [String: Any])
        XCTAssertEqual(generation["answer"] as? String, "预训练是第一阶段[1]。")
        let citation = try XCTUnwrap((generation["citations"] as? [[String: Any]])?.first)
        XCTAssertEqual(citation["n"] as? Int, 1)
        XCTAssertEqual(citation["source"] as? String, "Corpus/09-pretraining.md")
        XCTAssertEqual(citation["chunk"] as? Int, 0)
        XCTAssertEqual(citation["by"] as? String, "model")
        XCTAssertEqual(generation["time_to_first_token_ms"] as? Double, 120)
        XCTAssertEqual(generation["decode_tokens_per_second"] as? Double, 20)
        XCTAssertTrue(generation["tokens"] is NSNull)
        XCTAssertEqual(((generation["grounding"] as? [[String: Any]])?.first?["supported"]) as? Bool, true)
        XCTAssertTrue((object["retrieval"] as? [String: Any])?["answer"] is NSNull)
    }

    func testQuotesAndCitationsOfPagedDocumentsNameTheirPages() throws {
        let quotes = [QuotedSentence(text: "预训练是第一阶段。", source: "book.pdf", chunk: 2, similarity: 0.9, score: 0.9, pages: 12...12),
                      QuotedSentence(text: "跨页的句子。", source: "book.pdf", chunk: 3, similarity: 0.8, score: 0.8, pages: 12...13),
                      QuotedSentence(text: "没有页码。", source: "notes.md", chunk: 0, similarity: 0.7, score: 0.7)]
        let answer = Answer(question: "什么是预训练", mode: .retrieve, language: .chinese, bestSimilarity: 0.9, bestPassageSimilarity: 0.9,
                            coverageThreshold: 0.8, sharesTerm: true, covered: true,
                            retrieval: RetrievedAnswer(hits: [], quotes: quotes), generation: nil)
        let object = try json(AskReport(answer: answer, pieces: nil))
        let encoded = try XCTUnwrap((object["retrieval"] as? [String: Any])?["quotes"] as? [[String: Any]])
        XCTAssertEqual(encoded[0]["page"] as? Int, 12)
        XCTAssertNil(encoded[0]["pages"])
        XCTAssertEqual(encoded[1]["pages"] as? [Int], [12, 13])
        XCTAssertNil(encoded[2]["page"]); XCTAssertNil(encoded[2]["pages"])
        let citation = try XCTUnwrap(try JSONSerialization.jsonObject(with: JSONEncoder().encode(
            AskReport.CitationEntry(Citation(n: 1, source: "book.pdf", chunk: 2, pages: 7...7)))) as? [String: Any])
        XCTAssertEqual(citation["page"] as? Int, 7)
        XCTAssertEqual((12...13).pageLabel, "pp.12–13")
    }
}
