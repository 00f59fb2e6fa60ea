import Store
import XCTest
@testable import Retrieval

final class GroundingTests: XCTestCase {
    func testSupportedAndUnsupportedSentences() throws {
        let embedder = CharacterBagTestEmbedder()
        let chunks = [storedChunk("预训练是语言模型的第一个训练阶段。模型根据前面的文字预测下一个词元。", source: "pre.md"),
                      storedChunk("监督微调让模型学会按照指令作答。", source: "sft.md", ordinal: 2)]
        let pool = try PassageSentences(chunks: chunks, embedder: embedder)
        let answer = "预训练是语言模型的第一个训练阶段[1]。\n[2]\n微调让模型学会按照指令作答。巴黎埃菲尔铁塔高达三百米左右。"
        let grounded = try Grounding(supportThreshold: 0.6).ground(answer: answer, to: "什么是预训练？", in: pool, passageNumbers: [1, nil],
                                                                   embedder: embedder)
        XCTAssertEqual(grounded.count, 3)
        XCTAssertEqual(grounded[0].bestSource, "pre.md")
        XCTAssertEqual(grounded[0].bestPassage, 1)
        XCTAssertEqual(grounded[0].cited, [1, 2], "a bare [2] line joins the sentence before it")
        XCTAssertTrue(grounded[0].isSupported)
        XCTAssertGreaterThan(grounded[0].similarity, 0.9)
        XCTAssertEqual(grounded[1].bestSource, "sft.md")
        XCTAssertEqual(grounded[1].bestChunk, 2)
        XCTAssertNil(grounded[1].bestPassage, "that chunk was not in the prompt")
        XCTAssertTrue(grounded[1].isSupported)
        XCTAssertFalse(grounded[2].isSupported, "similarity \(grounded[2].similarity)")
    }

    /// A sentence that copies a passage but changes its number stays close in meaning; its figure is what
    /// gives it away.
    func testASentenceStatingAFigureNoPassageHoldsIsUnsupported() throws {
        let grounded = try ground("预训练通常要读入数千亿个词元的文本[1]。预训练通常要读入 1.8 万亿个词元的文本，训练持续 3 周[1]。",
                                  to: "预训练要读多少文本？", from: "预训练通常要读入数千亿个词元的文本，训练持续数周。")
        guard grounded.count == 2 else { return XCTFail("\(grounded)") }
        XCTAssertTrue(grounded[0].isSupported)
        XCTAssertEqual(grounded[0].unbacked, [])
        XCTAssertGreaterThan(grounded[1].similarity, 0.6, "close in meaning")
        XCTAssertFalse(grounded[1].isSupported)
        XCTAssertEqual(grounded[1].unbacked, ["1.8", "3"])
    }

    func testASentenceNamingSomeoneNoPassageNamesIsUnsupported() throws {
        let grounded = try ground("InstructGPT 由 OpenAI 的研究人员 John Smith 提出，先做监督微调再做 RLHF[1]。",
                                  to: "InstructGPT 是谁提出的？", from: "InstructGPT 由 OpenAI 的研究人员在论文中提出，先做监督微调再做 RLHF。")
        XCTAssertEqual(grounded.map(\.unbacked), [["John", "Smith"]])
        XCTAssertEqual(grounded.map(\.isSupported), [false])
    }

    /// `answer` to `question` grounded in one passage (prompt number 1) at threshold 0.6.
    private func ground(_ answer: String, to question: String, from passage: String) throws -> [GroundedSentence] {
        let embedder = CharacterBagTestEmbedder()
        let pool = try PassageSentences(chunks: [storedChunk(passage)], embedder: embedder)
        return try Grounding(supportThreshold: 0.6).ground(answer: answer, to: question, in: pool, passageNumbers: [1], embedder: embedder)
    }

    func testExtractiveAnswerQuotesTheClosestSentencesVerbatim() throws {
        let embedder = CharacterBagTestEmbedder()
        let chunks = [storedChunk("# 标题\n模型的参数规模通常非常庞大。预训练让模型读入大量文本来预测下一个词元。训练很贵。", source: "pre.md", ordinal: 1),
                      storedChunk("预训练让模型读入大量文本来预测下一个词元。监督微调通常安排在预训练之后进行。", source: "pre.md", ordinal: 2)]
        let pool = try PassageSentences(chunks: chunks, embedder: embedder)
        XCTAssertFalse(pool.sentences.contains { $0.text == "# 标题" }, "headings are too short to quote")
        XCTAssertEqual(pool.sentences.filter { $0.text.hasPrefix("预训练让") }.count, 1, "overlap repeats are quoted once")
        let question = "预训练时模型读入文本做什么？"
        let quotes = ExtractiveAnswer(sentenceCount: 2).quote(question: question, queryVector: try embedder.embedQuery(question),
                                                            from: pool)
        guard quotes.count == 2 else { return XCTFail("\(quotes)") }
        XCTAssertEqual(quotes[0].text, "预训练让模型读入大量文本来预测下一个词元。")
        XCTAssertEqual(quotes[0].source, "pre.md")
        XCTAssertEqual(quotes[0].chunk, 1)
        XCTAssertTrue(chunks.contains { $0.text.contains(quotes[1].text) }, "quoted verbatim")
    }

    /// Sentences whose vectors the index already holds are not embedded again; the rest are.
    func testThePoolReusesStoredSentenceVectors() throws {
        let embedder = HashedBigramEmbedder()
        let chunk = storedChunk("预训练是语言模型的第一个训练阶段。监督微调让模型学会按照指令作答。")
        let sentences = PassageSentences.quotableSentences(of: chunk.text)
        XCTAssertEqual(sentences.map(\.text), ["预训练是语言模型的第一个训练阶段。", "监督微调让模型学会按照指令作答。"])
        let first = sentences[0]
        let stored = [chunk.id: [SentenceVector(start: first.range.lowerBound, end: first.range.upperBound, vector: embedder.vector(first.text))]]
        let pool = try PassageSentences(chunks: [chunk], stored: stored, embedder: embedder)
        XCTAssertEqual(embedder.passagesEmbedded, 1, "only the sentence without a stored vector")
        XCTAssertEqual(pool.vectors, sentences.map { embedder.vector($0.text) })
    }
}
