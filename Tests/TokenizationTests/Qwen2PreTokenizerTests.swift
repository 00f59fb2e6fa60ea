import Tokenization
import XCTest

/// Splits traced by hand through the Qwen2 regex, one rule at a time.
final class Qwen2PreTokenizerTests: XCTestCase {
    func words(_ text: String) -> [String] {
        let utf8 = Array(text.utf8)
        return Qwen2PreTokenizer().split(text).map { String(decoding: utf8[$0], as: UTF8.self) }
    }

    func testWordsAndLeadingSpace() {
        XCTAssertEqual(words(""), [])
        XCTAssertEqual(words("hello world"), ["hello", " world"])
        XCTAssertEqual(words("Hello, world!"), ["Hello", ",", " world", "!"])
    }

    func testContractionsAnyCase() {
        XCTAssertEqual(words("don't"), ["don", "'t"])
        XCTAssertEqual(words("DON'T"), ["DON", "'T"])
        XCTAssertEqual(words("we've you're I'll he'd"), ["we", "'ve", " you", "'re", " I", "'ll", " he", "'d"])
        XCTAssertEqual(words("'steve"), ["'s", "teve"])  // no word boundary in the regex
        XCTAssertEqual(words("'x"), ["'x"])  // ' is not a letter, so it prefixes the word
    }

    func testDigitsOneByOne() {
        XCTAssertEqual(words("1234"), ["1", "2", "3", "4"])
        XCTAssertEqual(words("x12"), ["x", "1", "2"])
        XCTAssertEqual(words(" 7"), [" ", "7"])  // a space before a digit stands alone
        XCTAssertEqual(words("１２"), ["１", "２"])  // full-width digits are \p{N}
    }

    func testPunctuationTakesTrailingNewlines() {
        XCTAssertEqual(words(" !!!\n\nabc"), [" !!!\n\n", "abc"])
        XCTAssertEqual(words("a + b"), ["a", " +", " b"])
        XCTAssertEqual(words("$5"), ["$", "5"])
    }

    func testWhitespaceRuns() {
        XCTAssertEqual(words("a        b"), ["a", "       ", " b"])  // the last space joins the word
        XCTAssertEqual(words("x  "), ["x", "  "])  // a run at the end stays whole
        XCTAssertEqual(words("   \n  \n\t\t x"), ["   \n  \n", "\t\t", " x"])  // through the last newline
        XCTAssertEqual(words("line1\r\nline2\r\n"), ["line", "1", "\r\n", "line", "2", "\r\n"])
        XCTAssertEqual(words(" \n x"), [" \n", " x"])
        XCTAssertEqual(words("a \u{3000}b"), ["a", " ", "\u{3000}b"])  // U+3000 is whitespace, not a letter
    }

    func testUnicodeClasses() {
        // A non-letter (here full-width punctuation) directly before letters prefixes them.
        XCTAssertEqual(words("你好，世界！"), ["你好", "，世界", "！"])
        XCTAssertEqual(words("e\u{301}"), ["e", "\u{301}"])  // a combining mark is not \p{L}
        XCTAssertEqual(words("Ω≈ç√∫"), ["Ω", "≈ç", "√∫"])
        XCTAssertEqual(words("🚀 火箭"), ["🚀", " 火箭"])
    }

    func testSplitCoversInputExactly() {
        let text = "Mixed 文本 with 123 numbers,\r\n\ttabs  and 'quotes' — 😀!!"
        XCTAssertEqual(words(text).joined(), text)
    }
}
