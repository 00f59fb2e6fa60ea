import Foundation
import XCTest
@testable import Retrieval

/// scanned-zh.pdf is a 150-dpi grey scan of pretraining-zh.pdf's third page, with no text layer: without
/// `--ocr` it is skipped with the hint, with it Tesseract reads it close to the source text.
final class OCRTests: XCTestCase {
    /// The page's source text, as scripts/make-document-fixtures wrote it (CHINESE_CHAPTERS[2]).
    static let source = "优化与学习率"
        + "大模型训练几乎都使用自适应优化器，并配合学习率预热：在最初的几千步里，学习率从接近零逐步升高到设定值，以免早期梯度过大导致训练发散。"
        + "预热结束后，学习率一般按余弦曲线缓慢下降，直到训练结束时降到峰值的十分之一左右。"
        + "如果损失曲线突然出现尖峰，工程师通常会回退到最近的检查点，跳过出问题的数据批次后继续训练。"

    func testAScanIsSkippedWithAHintWithoutOCR() throws {
        XCTAssertEqual(DocumentFixtures.skipReason(try DocumentFixtures.data("scanned-zh.pdf"), named: "scanned-zh.pdf"),
                       "no text layer on page 1 (scanned? run rag ingest --ocr)")
    }

    func testOCRReadsTheScanCloseToItsSourceText() throws {
        let loaded = try DocumentLoader.load(DocumentFixtures.data("scanned-zh.pdf"), format: .pdf, fileName: "scanned-zh.pdf",
                                             options: LoadOptions(ocr: true))
        let text = loaded.document.text
        XCTAssertEqual(loaded.document.pages.map(\.number), [1])
        XCTAssertTrue(text.contains("学习率预热"), text)
        XCTAssertFalse(text.contains("学 习"), "no spaces between Chinese characters")
        let accuracy = Self.characterAccuracy(of: text, against: Self.source)
        XCTAssertGreaterThan(accuracy, 0.9, "\(accuracy): \(text)")
        let note = try XCTUnwrap(loaded.notes.first)
        XCTAssertTrue(note.hasPrefix("OCR read page 1 (mean confidence "), note)
    }

    /// 1 − (edit distance / source length), over characters, whitespace ignored; the running header the scan
    /// also shows ("大模型训练笔记") is removed first.
    static func characterAccuracy(of text: String, against source: String) -> Double {
        let a = Array(text.replacingOccurrences(of: "大模型训练笔记", with: "").filter { !$0.isWhitespace })
        let b = Array(source)
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return 1 - Double(a.isEmpty ? b.count : previous[b.count]) / Double(b.count)
    }
}
