import Foundation
import XCTest
@testable import Retrieval

/// fine-tuning.docx: style ids "1"/"2" that only styles.xml names as headings, an outline-level heading,
/// a list, a table with a row deleted as a tracked change, a tracked deletion and insertion, a footnote.
final class DocxLoaderTests: XCTestCase {
    func testParagraphsHeadingsListsAndTablesInOrder() throws {
        let document = try DocumentFixtures.load("fine-tuning.docx").document
        XCTAssertEqual(document.headings.map(\.title), ["微调的基本做法", "准备数据", "常用超参数", "Parameter-efficient methods"])
        XCTAssertEqual(document.headings.map(\.level), [1, 2, 2, 1])
        XCTAssertEqual(document.title, "微调的基本做法")
        let paragraphs = document.text.components(separatedBy: "\n\n")
        XCTAssertEqual(Array(paragraphs[3...5]), ["第一步是收集指令和回答的配对样本。", "第二步是清洗重复和有害的样本。", "第三步是按任务划分训练集和验证集。"])
        XCTAssertEqual(Array(paragraphs[7...9]), ["参数 | 常见取值", "学习率 | 2e-5", "训练轮数 | 3"])
    }

    func testTrackedDeletionsAreDroppedAndInsertionsKept() throws {
        let text = try DocumentFixtures.load("fine-tuning.docx").document.text
        XCTAssertTrue(text.contains("学习率过大时，损失可能剧烈震荡，所以通常配合预热使用。"))
        XCTAssertFalse(text.contains("模型一定会发散"))
        XCTAssertFalse(text.contains("已删除的行"))
    }

    func testFootnotesComeLast() throws {
        let text = try DocumentFixtures.load("fine-tuning.docx").document.text
        XCTAssertTrue(text.hasSuffix("\n\n预热指训练开始时让学习率从很小的值逐步升高。"))
    }

    func testStyleNamesAndOutlineLevels() {
        XCTAssertEqual(DocxStyles.headingLevel(named: "heading 3"), 3)
        XCTAssertEqual(DocxStyles.headingLevel(named: "标题 2"), 2)
        XCTAssertEqual(DocxStyles.headingLevel(named: "Title"), 1)
        XCTAssertNil(DocxStyles.headingLevel(named: "Normal"))
        XCTAssertEqual(DocxStyles.headingLevel(outlineLevel: 0), 1)
        XCTAssertNil(DocxStyles.headingLevel(outlineLevel: 9))
    }

    func testTruncatedAndCorruptDocxAreSkippedWithOneLineReasons() throws {
        let docx = try DocumentFixtures.data("fine-tuning.docx")
        XCTAssertEqual(DocumentFixtures.skipReason(docx.prefix(docx.count / 2), named: "cut.docx"),
                       "damaged docx (not a complete ZIP archive: no central directory)")
        XCTAssertEqual(DocumentFixtures.skipReason(Data("plain words".utf8), named: "words.docx"),
                       "damaged docx (not a ZIP container: the file does not start with PK)")
        XCTAssertEqual(DocumentFixtures.skipReason(Data(), named: "empty.epub"), "empty file")
        var flipped = docx
        let start = flipped.range(of: Data("word/document.xml".utf8))!.upperBound  // the first local header's name; its data follows
        for i in start + 40..<start + 80 { flipped[i] ^= 0x5A }
        let reason = try XCTUnwrap(DocumentFixtures.skipReason(flipped, named: "flipped.docx"))
        XCTAssertTrue(reason.hasPrefix("damaged docx (word/document.xml "), reason)
        XCTAssertFalse(reason.contains("\n"))
    }
}
