import Foundation
import XCTest
@testable import Retrieval

/// The PDFs LibreOffice made from scripts/make-document-fixtures: a Chinese one with a running header,
/// page-number footers and an outline, one chapter per page; a two-column English one; and broken copies.
final class PDFLoaderTests: XCTestCase {
    func testChinesePDFKeepsOrderAndPagesAndDropsHeadersAndFooters() throws {
        let loaded = try DocumentFixtures.load("pretraining-zh.pdf")
        let document = loaded.document
        XCTAssertEqual(loaded.format, .pdf)
        XCTAssertEqual(document.title, "大模型训练笔记")
        XCTAssertEqual(document.headings.map(\.title), ["什么是预训练", "训练数据的准备", "优化与学习率", "从预训练到微调"])
        XCTAssertEqual(document.pages.map(\.number), [1, 2, 3, 4])
        XCTAssertEqual(document.pages.map(\.offset), document.headings.map(\.offset), "each chapter starts a page")
        XCTAssertFalse(document.text.contains("大模型训练笔记"), "running header")
        XCTAssertFalse(document.text.contains("第1页") || document.text.contains("第 1 页"), "page-number footer")
        // A sentence broken across lines is joined without spaces between Chinese characters.
        XCTAssertTrue(document.text.contains("学习预测下一个词元的过程。模型在这个阶段没有具体任务"), document.text)
        XCTAssertFalse(document.text.contains("词元 的"))
        let warmup = try XCTUnwrap(document.text.range(of: "学习率预热"))
        XCTAssertEqual(document.pageNumber(at: document.text.unicodeScalars.distance(from: document.text.unicodeScalars.startIndex, to: warmup.lowerBound)), 3)
        XCTAssertEqual(document.text.components(separatedBy: "\n\n").last, "微调所需的数据量远小于预训练，几万条高质量样本往往就能让模型的回答风格发生明显变化。")
    }

    func testTwoColumnsReadColumnByColumn() throws {
        let document = try DocumentFixtures.load("training-two-column.pdf").document
        XCTAssertEqual(document.headings.map(\.title), ["Notes on training language models", "Pre-training objectives", "Scaling the run", "After pre-training"])
        XCTAssertEqual(document.headings.map(\.level), [1, 2, 2, 2])
        XCTAssertTrue(document.text.contains("Whatever the objective, the loss is measured in nats per token"), "a paragraph continued in the next column")
        XCTAssertTrue(document.text.contains("A language model is pre-trained by predicting"), "a compound hyphen the document uses elsewhere is kept")
        XCTAssertEqual(document.pages.map(\.number), [1, 2])
    }

    func testBrokenPDFsAreSkippedWithOneLineReasons() throws {
        let reasons = try ["damaged.pdf", "truncated.pdf", "encrypted.pdf", "scanned.pdf"].map {
            DocumentFixtures.skipReason(try DocumentFixtures.data($0), named: $0)
        }
        XCTAssertEqual(reasons, [
            "damaged PDF (PDF document is damaged)",
            "truncated PDF (the file ends before its %%EOF marker)",
            "encrypted PDF (needs a password; rag does not decrypt files)",
            "no text layer on page 1 (scanned? run rag ingest --ocr)",
        ])
        XCTAssertEqual(DocumentFixtures.skipReason(Data("just text".utf8), named: "fake.pdf"),
                       "unsupported file: named .pdf but not a PDF (no %PDF- header)")
    }

    /// Pages without a text layer in a PDF that has text elsewhere: the text is indexed, the pages reported.
    func testPagesWithoutTextAreNotedAndTheRestIndexed() throws {
        let loaded = try DocumentFixtures.load("partly-scanned.pdf")
        XCTAssertEqual(loaded.document.text, "Tokenizers split text into tokens.\n\nEmbeddings map tokens to vectors.")
        XCTAssertEqual(loaded.document.pages.map(\.number), [1, 4])
        XCTAssertEqual(loaded.notes, ["no text layer on pages 2–3, 5 of 5 (scanned? run rag ingest --ocr): their text is not indexed"])
        XCTAssertEqual(try DocumentFixtures.load("pretraining-zh.pdf").notes, [])
        XCTAssertEqual(UnreadableDocument.noTextLayer(pages: 9).description, "no text layer on pages 1–9 (scanned? run rag ingest --ocr)")
    }

    func testLinesJoinAsTheirScriptsNeed() {
        XCTAssertEqual(PDFLayout.join(["an exam-", "ple of this"]), "an example of this")
        XCTAssertEqual(PDFLayout.join(["the pre-", "trained model"], keepingHyphenAfter: ["pre"]), "the pre-trained model")
        XCTAssertEqual(PDFLayout.join(["Top-", "Down"]), "Top-Down", "a capital after the hyphen is not hyphenation")
        XCTAssertEqual(PDFLayout.join(["预训练是让语言模型在海量", "无标注文本上学习"]), "预训练是让语言模型在海量无标注文本上学习")
        XCTAssertEqual(PDFLayout.join(["模型使用", "LoRA 微调"]), "模型使用LoRA 微调")
        XCTAssertEqual(PDFLayout.join(["two words", "on two lines"]), "two words on two lines")
    }

    func testRunningLinesAreThoseRepeatedAtPageEdges() {
        func line(_ text: String) -> PDFLine { PDFLine(text: text, box: .empty) }
        let bodies = [["Models read text.", "They predict tokens."], ["Data is cleaned first.", "Then it is tokenised."], ["Loss falls.", "Then it flattens."]]
        let pages = bodies.enumerated().map { n, body in [line("Handbook")] + body.map(line) + [line("- \(n + 1) -")] }
        XCTAssertEqual(PDFLayout.withoutRunningLines(pages).map { $0.map(\.text) }, bodies)
        let single = [[line("Handbook"), line("Only page")]]
        XCTAssertEqual(PDFLayout.withoutRunningLines(single), single, "one page has nothing to repeat")
    }
}
