@testable import rag
import XCTest

final class TerminalTextTests: XCTestCase {
    func testWrapKeepsTo80ColumnsCountingChineseAsTwo() {
        let text = String(repeating: "预训练是语言模型的第一个训练阶段，", count: 6) + " and some English words to wrap nicely"
        let wrapped = TerminalText.wrap(text, first: "  ", indent: "  ")
        for line in wrapped.split(separator: "\n") { XCTAssertLessThanOrEqual(TerminalText.columns(String(line)), 80, "\(line)") }
        XCTAssertEqual(wrapped.replacingOccurrences(of: "\n  ", with: "").replacingOccurrences(of: " ", with: ""),
                       ("  " + text).replacingOccurrences(of: " ", with: ""))
    }

    func testOneLineShowsControlCharactersAsEscapes() {
        XCTAssertEqual("a\nb\u{1B}c.txt".oneLine, "a\\u{a}b\\u{1b}c.txt")
        XCTAssertEqual("预训练.md".oneLine, "预训练.md")
    }
}
