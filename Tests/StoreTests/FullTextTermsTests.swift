@testable import Store
import XCTest

final class FullTextTermsTests: XCTestCase {
    func testChineseRunsBecomeOverlappingBigramsBesideWords() {
        let columns = FullTextTerms.indexColumns(for: "GPT的预训练，很贵。")
        XCTAssertEqual(columns.terms, "GPT 的预 预训 训练 很贵")
        XCTAssertEqual(columns.unigrams, "的 预 训 练 很 贵")
    }

    func testSingleCharacterRunIsItsOwnTerm() {
        XCTAssertEqual(FullTextTerms.indexColumns(for: "A 字 B").terms, "A 字 B")
    }

    func testQueryQuotesEveryTermAndSearchesBigramsAndUnigrams() {
        XCTAssertEqual(FullTextTerms.matchExpression(for: "预训练 GPT"),
                       #"terms : ("预训" OR "训练" OR "GPT") OR unigrams : ("预" OR "训" OR "练")"#)
        XCTAssertEqual(FullTextTerms.matchExpression(for: "字"), #"unigrams : ("字")"#)
    }

    func testHostileQueriesLeaveOnlyQuotedWords() {
        XCTAssertEqual(FullTextTerms.matchExpression(for: #"a" OR b* NEAR(c d) AND NOT (e"#),
                       #"terms : ("a" OR "OR" OR "b" OR "NEAR" OR "c" OR "d" OR "AND" OR "NOT" OR "e")"#)
        XCTAssertEqual(FullTextTerms.matchExpression(for: "terms:x ^y {z}"), #"terms : ("terms" OR "x" OR "y" OR "z")"#)
        XCTAssertNil(FullTextTerms.matchExpression(for: #"*"()" ：。！"#))
    }

    func testRepeatedTermsAreSearchedOnce() {
        XCTAssertEqual(FullTextTerms.matchExpression(for: "训练 训练 Model model"),
                       #"terms : ("训练" OR "Model") OR unigrams : ("训" OR "练")"#)
    }
}
