import XCTest
@testable import Retrieval
@testable import Store

final class PassageExcerptTests: XCTestCase {
    /// Five quotable sentences (each at least `PassageSentences.minimumLength` characters).
    let sentences = ["第一句介绍这一章的内容。", "第二句说明预训练的数据。", "第三句说明预训练的目标。", "第四句给出训练用的算力。", "第五句总结这一章的要点。"]

    func chunk(_ text: String, ordinal: Int = 0, headings: [String] = ["预训练", "数据与目标"]) -> StoredChunk {
        var chunk = storedChunk(text, ordinal: ordinal)
        chunk.headingPath = headings
        return chunk
    }

    /// The pool of `chunks` and similarities that rank sentence texts as `scores` says (others lowest).
    func excerpts(_ chunks: [StoredChunk], _ context: PromptContext, scores: [String: Float]) throws -> [PassageExcerpt] {
        let pool = try PassageSentences(chunks: chunks, embedder: CharacterBagTestEmbedder())
        return PassageExcerpt.excerpts(of: chunks, context: context, pool: pool,
                                       similarities: pool.sentences.map { scores[$0.text] ?? 0 })
    }

    func testBestSentenceComesWithItsNeighboursInDocumentOrder() throws {
        let passage = chunk(sentences.joined())
        let excerpt = try XCTUnwrap(excerpts([passage], .focused(best: 1, neighbours: 1), scores: [sentences[3]: 0.9]).first)
        XCTAssertEqual(excerpt.sentences, Array(sentences[2...4]))
        XCTAssertTrue(excerpt.leavesOut)
        XCTAssertEqual(excerpt.headings, ["预训练", "数据与目标"])
    }

    func testSentencesThatAreNotNeighboursAreSeparatedByAGap() throws {
        let passage = chunk(sentences.joined())
        let excerpt = try XCTUnwrap(excerpts([passage], .focused(best: 2, neighbours: 0),
                                             scores: [sentences[4]: 0.9, sentences[1]: 0.8]).first)
        XCTAssertEqual(excerpt.sentences, [sentences[1], PassageExcerpt.gap, sentences[4]])
    }

    func testASentenceShownForABetterPassageIsNotRepeated() throws {
        // Overlapping chunks of one document share their boundary sentences.
        let first = chunk(sentences[0...2].joined()), second = chunk(sentences[2...4].joined(), ordinal: 1)
        let shown = try excerpts([first, second], .focused(best: 1, neighbours: 1), scores: [sentences[2]: 0.9, sentences[3]: 0.8])
        XCTAssertEqual(shown[0].sentences, Array(sentences[1...2]))
        XCTAssertEqual(shown[1].sentences, Array(sentences[3...4]))
    }

    func testWholePassagesAreTodaysContext() throws {
        let passage = chunk(sentences.joined())
        let excerpt = try XCTUnwrap(excerpts([passage], .passages, scores: [:]).first)
        XCTAssertEqual(excerpt.sentences, sentences)
        XCTAssertFalse(excerpt.leavesOut)
        XCTAssertEqual(excerpt.headings, [])
    }

    func testFocusedPromptNamesTheHeadingsAndMarksTheGap() throws {
        let passage = chunk(sentences.joined())
        let focused = try excerpts([passage], .focused(best: 2, neighbours: 0), scores: [sentences[0]: 0.9, sentences[3]: 0.8])
        let prompt = try PromptBuilder(writer: ScriptedTestWriter(answer: "")).prompt(question: "预训练需要多少算力？", excerpts: focused,
                                                                                     maxAnswerTokens: 64)
        XCTAssertTrue(prompt.user.contains("[1] （预训练 › 数据与目标）" + sentences[0] + "…" + sentences[3]), prompt.user)
        XCTAssertTrue(prompt.passages[0].isTrimmed)
    }

    func testContextNames() {
        XCTAssertEqual(PromptContext(name: "passages"), .passages)
        XCTAssertEqual(PromptContext(name: "focused:3,0"), .focused(best: 3, neighbours: 0))
        XCTAssertEqual(PromptContext(name: "focused:3,0")?.name, "focused:3,0")
        XCTAssertNil(PromptContext(name: "focused:0,1"))
        XCTAssertNil(PromptContext(name: "focused:2"))
        XCTAssertNil(PromptContext(name: "whole"))
        XCTAssertEqual(PromptContext(name: "focused"), .focusedDefault)
    }
}
