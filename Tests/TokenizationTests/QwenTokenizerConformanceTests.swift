import Foundation
import Tokenization
import XCTest

/// Our tokenizer against llama.cpp's on the same GGUF: every case of qwen-tokenizer-refs.json and the prompts of
/// qwen-greedy-refs.json must give exactly the same ids and decode back to the exact input.
final class QwenTokenizerConformanceTests: XCTestCase {
    struct TokenizerRefs: Decodable {
        struct Item: Decodable {
            let text: String
            let ids: [Int]
        }
        let items: [Item]
    }

    struct GreedyRefs: Decodable {
        struct Case: Decodable {
            let id: String
            let variant: String
            let prompt: String
            let prompt_ids: [Int]
        }
        let cases: [Case]
    }

    func testTokenizerReferenceCases() throws {
        let tokenizer = try QwenModel.tokenizer()
        let refs = try JSONDecoder().decode(TokenizerRefs.self, from: QwenModel.reference("qwen-tokenizer-refs.json"))
        XCTAssertGreaterThan(refs.items.count, 20)
        for item in refs.items {
            let ids = tokenizer.encode(item.text)
            XCTAssertEqual(ids, item.ids, "encode \(item.text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(item.ids), item.text, "decode \(item.text.debugDescription)")
        }
    }

    func testGreedyReferencePrompts() throws {
        let tokenizer = try QwenModel.tokenizer()
        let refs = try JSONDecoder().decode(GreedyRefs.self, from: QwenModel.reference("qwen-greedy-refs.json"))
        for c in refs.cases {
            XCTAssertEqual(tokenizer.encode(c.prompt), c.prompt_ids, "\(c.variant)/\(c.id)")
            XCTAssertEqual(tokenizer.decode(c.prompt_ids), c.prompt, "\(c.variant)/\(c.id)")
        }
    }

    func testSpecialTokens() throws {
        let tokenizer = try QwenModel.tokenizer()
        XCTAssertEqual(tokenizer.vocabularySize, 151936)
        XCTAssertEqual(tokenizer.specialTokens.beginOfSequence, 151643)
        XCTAssertEqual(tokenizer.specialTokens.endOfSequence, 151645)
        XCTAssertFalse(tokenizer.specialTokens.addBeginOfSequence)
        XCTAssertTrue(tokenizer.specialTokens.endOfGeneration.isSuperset(of: [151643, 151645]))
        XCTAssertEqual(tokenizer.id(ofTokenText: "<|im_start|>"), 151644)
        XCTAssertEqual(tokenizer.id(ofTokenText: "Ġthe"), 279)
        // Without special parsing, the marker is spelled out as text and still round-trips.
        let spelled = tokenizer.encode("<|im_start|>", parseSpecial: false)
        XCTAssertFalse(spelled.contains(151644))
        XCTAssertEqual(tokenizer.decode(spelled), "<|im_start|>")
        // User-defined tokens are always whole tokens.
        XCTAssertEqual(tokenizer.encode("<tool_call>", parseSpecial: false), [151657])
        XCTAssertEqual(tokenizer.decode([151644, 872, 151645], renderSpecial: false), "user")
    }
}
