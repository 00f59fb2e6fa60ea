import Foundation
import Tokenization
import XCTest

final class ChatTemplateTests: XCTestCase {
    func testDefaultSystemPromptAndGenerationPrompt() {
        XCTAssertEqual(ChatTemplate.qwen.render([ChatMessage(.user, "你好")]),
                       "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                       + "<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(ChatTemplate(defaultSystemPrompt: nil).render([ChatMessage(.user, "hi")], addGenerationPrompt: false),
                       "<|im_start|>user\nhi<|im_end|>\n")
    }

    /// The chat cases of qwen-greedy-refs.json were rendered by llama.cpp from (system, user): we must give the same text.
    func testMatchesReferenceChatPrompts() throws {
        struct Refs: Decodable {
            struct Case: Decodable {
                let variant: String
                let prompt: String
            }
            let cases: [Case]
        }
        let refs = try JSONDecoder().decode(Refs.self, from: QwenModel.reference("qwen-greedy-refs.json"))
        let chats = refs.cases.filter { $0.variant == "qwen_chat" }
        XCTAssertFalse(chats.isEmpty)
        for c in chats {
            // Take the two turns' contents back out of the reference text, then render them again.
            let system = c.prompt.components(separatedBy: "<|im_end|>")[0].replacingOccurrences(of: "<|im_start|>system\n", with: "")
            let user = c.prompt.components(separatedBy: "<|im_start|>user\n")[1].components(separatedBy: "<|im_end|>")[0]
            XCTAssertEqual(ChatTemplate.qwen.render([ChatMessage(.system, system), ChatMessage(.user, user)]), c.prompt)
        }
    }
}
