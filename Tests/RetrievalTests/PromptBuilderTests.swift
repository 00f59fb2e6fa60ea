import XCTest
@testable import Retrieval

final class PromptBuilderTests: XCTestCase {
    let passage = "第一句讲预训练。第二句讲数据来源。第三句讲训练目标。"

    func testAllPassagesFitWhenTheBudgetAllows() throws {
        let writer = ScriptedTestWriter(answer: "")
        let prompt = try PromptBuilder(writer: writer).prompt(question: "什么是预训练？",
                                                             passages: [storedChunk(passage), storedChunk("另一段。", ordinal: 1)],
                                                             maxAnswerTokens: 64)
        XCTAssertEqual(prompt.passages.map(\.number), [1, 2])
        XCTAssertEqual(prompt.passages[0].text, passage)
        XCTAssertFalse(prompt.passages[0].isTrimmed)
        XCTAssertTrue(prompt.user.contains("[1] " + passage))
        XCTAssertTrue(prompt.user.hasSuffix("问题：什么是预训练？"))
        XCTAssertEqual(prompt.language, .chinese)
        XCTAssertTrue(prompt.system.contains("资料中没有相关信息"))
    }

    func testPassagesAreTrimmedAtSentenceBoundariesWithinTheBudget() throws {
        let question = "什么是预训练？"
        let base = ScriptedTestWriter(answer: "")
        let bare = base.promptTokenCount(system: PromptBuilder.instructions(.chinese),
                                         user: PromptBuilder.user(question: question, passages: [], language: .chinese))
        // Room for the "[1] " label and the first two sentences only.
        let budget = bare + 5 + 16 + 2
        let writer = ScriptedTestWriter(contextLength: budget + 32, answer: "")
        let prompt = try PromptBuilder(writer: writer).prompt(question: question,
                                                             passages: [storedChunk(passage), storedChunk("不会放进来的一段。", ordinal: 1)],
                                                             maxAnswerTokens: 32)
        XCTAssertLessThanOrEqual(prompt.tokenCount, budget)
        XCTAssertEqual(prompt.passages.count, 1)
        XCTAssertTrue(prompt.passages[0].isTrimmed)
        XCTAssertEqual(prompt.passages[0].text, "第一句讲预训练。第二句讲数据来源。")
        XCTAssertTrue(prompt.user.hasSuffix(question), "the question is always there, whole")
    }

    func testOverlongFirstSentenceIsCutBetweenCharactersNeverInsideOne() throws {
        // Flags and combined characters are several scalars each: a scalar-level cut would split them.
        let sentence = String(repeating: "🇨🇳é", count: 40) + "。"
        let question = "这是什么？"
        let base = ScriptedTestWriter(answer: "")
        let bare = base.promptTokenCount(system: PromptBuilder.instructions(.chinese),
                                         user: PromptBuilder.user(question: question, passages: [], language: .chinese))
        let writer = ScriptedTestWriter(contextLength: bare + 20 + 16, answer: "")
        let prompt = try PromptBuilder(writer: writer).prompt(question: question, passages: [storedChunk(sentence.precomposedStringWithCanonicalMapping.decomposedStringWithCanonicalMapping)],
                                                             maxAnswerTokens: 16)
        let kept = try XCTUnwrap(prompt.passages.first).text
        XCTAssertFalse(kept.isEmpty)
        XCTAssertTrue(Array(sentence.decomposedStringWithCanonicalMapping).starts(with: Array(kept)), "a prefix of whole characters")
        XCTAssertLessThanOrEqual(prompt.tokenCount, bare + 20)
    }

    func testQuestionThatDoesNotFitIsAnError() {
        let writer = ScriptedTestWriter(contextLength: 120, answer: "")
        let question = String(repeating: "很长的问题", count: 40)
        XCTAssertThrowsError(try PromptBuilder(writer: writer).prompt(question: question, passages: [storedChunk(passage)],
                                                                      maxAnswerTokens: 32)) { error in
            guard case PromptError.questionTooLong = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("--max-tokens"))
        }
    }

    func testEnglishQuestionGetsEnglishInstructions() throws {
        let prompt = try PromptBuilder(writer: ScriptedTestWriter(answer: "")).prompt(
            question: "What is pre-training?", passages: [storedChunk("Pre-training comes first.")], maxAnswerTokens: 16)
        XCTAssertEqual(prompt.language, .english)
        XCTAssertTrue(prompt.system.contains("The passages do not say."))
        XCTAssertTrue(prompt.user.hasPrefix("Passages:\n[1] Pre-training comes first."))
        XCTAssertTrue(prompt.user.hasSuffix("Question: What is pre-training?"))
    }

    func testQuestionGetsAQuestionMark() throws {
        let prompt = try PromptBuilder(writer: ScriptedTestWriter(answer: "")).prompt(
            question: "什么是预训练", passages: [storedChunk(passage)], maxAnswerTokens: 16)
        XCTAssertTrue(prompt.user.hasSuffix("问题：什么是预训练？"))
    }

    func testQuestionLanguage() {
        XCTAssertEqual(QuestionLanguage(of: "什么是预训练"), .chinese)
        XCTAssertEqual(QuestionLanguage(of: "What is 预训练?"), .chinese)
        XCTAssertEqual(QuestionLanguage(of: "What does the term 预训练 mean in this text?"), .english)
        XCTAssertEqual(QuestionLanguage(of: "How does RLHF work?"), .english)
        XCTAssertEqual(QuestionLanguage(of: "GPT 的 token 是什么？"), .chinese)
    }
}
