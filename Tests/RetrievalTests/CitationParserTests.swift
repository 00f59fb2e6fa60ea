import XCTest
@testable import Retrieval

final class CitationParserTests: XCTestCase {
    func testFormsOfCitation() {
        XCTAssertEqual(CitationParser.numbers(in: "预训练是第一阶段[1]。它不需要标注[2]。"), [1, 2])
        XCTAssertEqual(CitationParser.numbers(in: "both [1, 3] and [3][2]"), [1, 3, 2])
        XCTAssertEqual(CitationParser.numbers(in: "全角【2】和［4］，还有[1，2]"), [2, 4, 1])
        XCTAssertEqual(CitationParser.numbers(in: "a range [1-3]"), [1, 2, 3])
        XCTAssertEqual(CitationParser.numbers(in: "no citation [a] [] [1 x] [2"), [])
        XCTAssertEqual(CitationParser.numbers(in: "array[0] then [12]"), [0, 12])
    }

    func testRemovingCitationsKeepsTheSentence() {
        XCTAssertEqual(CitationParser.removingCitations(from: "预训练是第一阶段[1]。见[2, 3]"), "预训练是第一阶段。见")
        XCTAssertEqual(CitationParser.removingCitations(from: "x[y]"), "x[y]")
    }

    func testResolveAgainstPromptPassages() {
        let passages = [PromptPassage(number: 1, chunk: storedChunk("甲。", source: "a.md", ordinal: 3), text: "甲。", isTrimmed: false),
                        PromptPassage(number: 2, chunk: storedChunk("乙。", source: "b.md", ordinal: 0), text: "乙。", isTrimmed: false)]
        let (citations, invalid) = CitationParser.resolve([2, 0, 1, 7], passages: passages)
        XCTAssertEqual(citations, [Citation(n: 2, source: "b.md", chunk: 0), Citation(n: 1, source: "a.md", chunk: 3)])
        XCTAssertEqual(invalid, [0, 7])
    }

    func testAttributionAddsMissingCitationsBeforeThePunctuation() {
        let passages = [PromptPassage(number: 1, chunk: storedChunk("甲。", source: "a.md", ordinal: 3), text: "甲。", isTrimmed: false),
                        PromptPassage(number: 2, chunk: storedChunk("乙。", source: "b.md", ordinal: 0), text: "乙。", isTrimmed: false)]
        func sentence(_ text: String, cited: [Int], passage: Int?, supported: Bool) -> GroundedSentence {
            GroundedSentence(text: text, cited: cited, bestSource: nil, bestChunk: nil, bestPassage: passage, bestSentence: nil,
                             similarity: supported ? 0.95 : 0.5, isSupported: supported)
        }
        let grounding = [sentence("预训练是第一阶段。", cited: [], passage: 2, supported: true),
                         sentence("它很贵[1]。", cited: [1], passage: 2, supported: true),
                         sentence("月亮是奶酪做的。", cited: [], passage: 1, supported: false),
                         sentence("“它不需要标注。”", cited: [], passage: nil, supported: true)]
        let own = [Citation(n: 1, source: "a.md", chunk: 3)]
        let (text, citations) = CitationAttribution.attribute(grounding: grounding, modelCitations: own, passages: passages)
        XCTAssertEqual(text, "预训练是第一阶段[2]。它很贵[1]。月亮是奶酪做的。“它不需要标注。”")
        XCTAssertEqual(citations, [Citation(n: 1, source: "a.md", chunk: 3), Citation(n: 2, source: "b.md", chunk: 0, attributed: true)])
    }
}
