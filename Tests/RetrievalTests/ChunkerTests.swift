@testable import Retrieval
import Store
import XCTest

final class ChunkerTests: XCTestCase {
    func chunker(size: Int, overlap: Int) throws -> Chunker {
        Chunker(parameters: try ChunkingParameters(size: size, overlap: overlap), counter: CharacterCounter())
    }

    func document(_ paragraphs: [String]) -> CleanDocument {
        CleanDocument(blocks: paragraphs.map { .paragraph($0) }, title: "t", fallbackTitle: "t")
    }

    /// Every chunk's text is exactly its slice of the cleaned document.
    func assertOffsets(_ chunks: [NewChunk], _ doc: CleanDocument, file: StaticString = #filePath, line: UInt = #line) {
        let scalars = Array(doc.text.unicodeScalars)
        for chunk in chunks {
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[chunk.start..<chunk.end])), chunk.text, file: file, line: line)
        }
    }

    func testChineseSentenceBoundaries() {
        let text = Array("第一句。第二句！第三句？“第四句。”第五句；第六句……第七句".unicodeScalars)
        let sentences = SentenceSplitter.sentences(in: text, 0..<text.count).map { String(String.UnicodeScalarView(text[$0])) }
        XCTAssertEqual(sentences, ["第一句。", "第二句！", "第三句？", "“第四句。”", "第五句；", "第六句……", "第七句"])
    }

    func testEnglishSentenceBoundariesKeepDecimalsAndFileNames() {
        let text = Array("Pi is 3.14 roughly. Open file.txt now! Really? Yes (it works.) Done".unicodeScalars)
        let sentences = SentenceSplitter.sentences(in: text, 0..<text.count).map { String(String.UnicodeScalarView(text[$0])) }
        XCTAssertEqual(sentences, ["Pi is 3.14 roughly.", "Open file.txt now!", "Really?", "Yes (it works.)", "Done"])
    }

    func testSentencesArePackedUpToTheSizeAndNeverCut() throws {
        let sentence = "这是一个十个字的句子。"  // 11 characters with the full stop
        let doc = document([String(repeating: sentence, count: 10)])
        let chunks = try chunker(size: 40, overlap: 0).chunks(of: doc)
        XCTAssertEqual(chunks.map(\.text), Array(repeating: String(repeating: sentence, count: 3), count: 3) + [sentence])
        XCTAssertTrue(chunks.allSatisfy { $0.tokenCount <= 40 })
        assertOffsets(chunks, doc)
    }

    func testOverlapRepeatsWholeTrailingSentences() throws {
        let sentences = (1...8).map { "第\($0)句话在这里。" }  // 8 characters each
        let doc = document([sentences.joined()])
        let chunks = try chunker(size: 30, overlap: 10).chunks(of: doc)
        // 3 sentences fit in 30; the last one (8 ≤ 10) is repeated at the start of the next passage.
        XCTAssertEqual(chunks.map(\.text), [
            sentences[0..<3].joined(), sentences[2..<5].joined(), sentences[4..<7].joined(), sentences[6..<8].joined(),
        ])
        assertOffsets(chunks, doc)
    }

    func testParagraphsAreJoinedInsideAPassageAndOffsetsSpanThem() throws {
        let doc = document(["第一段。", "第二段。", "English paragraph. Two sentences."])
        let chunks = try chunker(size: 400, overlap: 60).chunks(of: doc)
        XCTAssertEqual(chunks.count, 1)
        XCTAssertEqual(chunks[0].text, doc.text)
        XCTAssertEqual(chunks[0].start, 0)
        XCTAssertEqual(chunks[0].end, doc.text.unicodeScalars.count)
    }

    func testASentenceLongerThanTheLimitIsCutPreferablyAtACommaAndOnlyIt() throws {
        let long = String(repeating: "甲乙丙丁戊己庚辛，", count: 6) + "完。"  // 56 characters, one sentence
        let doc = document(["短句一。", long, "短句二。"])
        let chunks = try chunker(size: 20, overlap: 5).chunks(of: doc)
        XCTAssertEqual(chunks.first?.text, "短句一。")
        XCTAssertEqual(chunks.last?.text, "短句二。")
        let pieces = chunks.dropFirst().dropLast()
        XCTAssertEqual(pieces.map(\.text).joined(), long)
        XCTAssertTrue(pieces.allSatisfy { $0.tokenCount <= 20 })
        XCTAssertTrue(pieces.dropLast().allSatisfy { $0.text.hasSuffix("，") }, "cut after commas")
        assertOffsets(chunks, doc)
    }

    func testAHeadingStartsANewPassageAndGivesItsPath() throws {
        let doc = CleanDocument(blocks: [
            .heading(level: 1, text: "预训练"), .heading(level: 2, text: "目标"), .paragraph("预测下一个词元。"),
            .heading(level: 2, text: "数据"), .paragraph("网页、书籍和代码。"),
            .heading(level: 1, text: "微调"), .paragraph("指令数据。"),
        ], title: nil, fallbackTitle: "x")
        let chunks = try chunker(size: 400, overlap: 60).chunks(of: doc)
        XCTAssertEqual(chunks.map(\.text), ["预训练\n\n目标\n\n预测下一个词元。", "数据\n\n网页、书籍和代码。", "微调\n\n指令数据。"])
        XCTAssertEqual(chunks.map(\.headingPath), [["预训练", "目标"], ["预训练", "数据"], ["微调"]])
        assertOffsets(chunks, doc)
    }

    /// Passages never span pages: a page's first sentence starts a passage even with budget left, nothing
    /// of the previous page is carried over as overlap, and each passage records its page.
    func testAPageStartsANewPassageAndEachPassageKnowsItsPage() throws {
        let doc = CleanDocument(blocks: [
            .page(1), .heading(level: 1, text: "预训练"), .paragraph("预测下一个词元。模型学到语法。"),
            .page(2), .paragraph("数据来自网页。"), .paragraph("还有书籍。"),
            .page(4), .paragraph("第三页是空白页。"),
        ], title: nil, fallbackTitle: "x")
        let chunks = try chunker(size: 400, overlap: 60).chunks(of: doc)
        XCTAssertEqual(chunks.map(\.text), ["预训练\n\n预测下一个词元。模型学到语法。", "数据来自网页。\n\n还有书籍。", "第三页是空白页。"])
        XCTAssertEqual(chunks.map(\.pages), [1...1, 2...2, 4...4])
        XCTAssertEqual(chunks.map(\.headingPath), [["预训练"], ["预训练"], ["预训练"]])
        assertOffsets(chunks, doc)
        XCTAssertEqual(try chunker(size: 400, overlap: 60).chunks(of: document(["没有页码。"])).map(\.pages), [nil])
    }

    func testChunkingDoesNotSplitSurrogatesOrLoseText() throws {
        let text = "表情😀在这里。" + String(repeating: "𠀀", count: 50) + "。结束"
        let doc = document([text])
        let chunks = try chunker(size: 16, overlap: 4).chunks(of: doc)
        XCTAssertFalse(chunks.isEmpty)
        assertOffsets(chunks, doc)
        XCTAssertTrue(chunks.allSatisfy { $0.tokenCount <= 16 })
    }

    func testInvalidParametersAreOneLineErrors() {
        XCTAssertThrowsError(try ChunkingParameters(size: 100, overlap: 100)) {
            XCTAssertEqual("\($0)", "--overlap 100 must be at least 0 and less than --chunk-size 100")
        }
        XCTAssertThrowsError(try ChunkingParameters(size: 3, overlap: 0))
        XCTAssertEqual(ChunkingParameters(signature: try ChunkingParameters(size: 300, overlap: 30).signature)?.size, 300)
    }
}
