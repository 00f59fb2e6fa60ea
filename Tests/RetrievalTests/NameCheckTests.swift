import XCTest
@testable import Retrieval

final class NameCheckTests: XCTestCase {
    func testChineseSentencesNameEveryLatinWord() {
        XCTAssertEqual(NameCheck.names(in: "OpenAI 的创办人是 Sam Altman、Tim Urban，用了 H100 和 Qwen2.5。"),
                       ["OpenAI", "Sam", "Altman", "Tim", "Urban", "H100", "Qwen2"])
        XCTAssertEqual(NameCheck.names(in: "第 3 步用 a 和 b。"), [], "single letters are not names")
        XCTAssertEqual(NameCheck.names(in: "Because RLHF 流程复杂，需要同时维护多个模型，训练也不稳定。"), ["RLHF"],
                       "a plain word opening the sentence is not a name")
    }

    func testEnglishSentencesNameOnlyWordsSpeltAsNames() {
        XCTAssertEqual(NameCheck.names(in: "The model was tuned with RLHF and LoRA by OpenAI on H100 cards in English."),
                       ["RLHF", "LoRA", "OpenAI", "H100"])
        XCTAssertEqual(NameCheck.names(in: "They are good at writing, translating, 问答 and code."), [],
                       "one Chinese word does not make the sentence Chinese")
    }

    func testOnlyNamesNoSourceContainsAreUnbacked() {
        let check = NameCheck(sources: ["OpenAI 在 2015 年成立，GPT-3 用了 Transformer 解码器。", "OpenAI 的创办人有谁？"])
        XCTAssertEqual(check.unbacked(in: "OpenAI 的创办人是 Sam Altman，GPT-3 基于 transformers。"), ["Sam", "Altman"],
                       "case and a plural s do not matter")
        XCTAssertEqual(check.unbacked(in: "It was built by OPENAI."), [])
    }
}
