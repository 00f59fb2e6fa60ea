import Foundation
import Kernels
import ModelFiles
import Tokenization
import XCTest
@testable import Inference

/// Greedy decoding of the real Qwen2.5 GGUF against llama.cpp's ids (Tests/Fixtures/qwen-greedy-refs.json, a copy of
/// shared/refs). Each case feeds its exact prompt ids, so this test does not depend on the tokenizer.
/// Run in release: `swift test -c release -Xswiftc -enable-testing --filter Qwen2ConformanceTests`.
final class Qwen2ConformanceTests: XCTestCase {
    struct References: Decodable {
        struct Case: Decodable {
            let id: String
            let variant: String
            let prompt_ids: [Int]
            let gen_ids: [Int]
            let stop: String
        }
        let cases: [Case]
    }

    /// Steps compared per case (the "first 32 ids").
    static let steps = 32
    /// A divergence is accepted only where our own top-2 logit gap is below this: a near-tie that numerics can flip.
    /// llama.cpp does not record its margins. We quantise activations to 8 bits as it does, but its f16 KV cache,
    /// GEMM blocking and summation order still move logits by up to ~0.2 nats: plain_zh/zh_sft's first token sits
    /// 0.19 from the runner-up after the int8 prefill, 0.13 after the prompt run token by token through the decode
    /// kernels (llama.cpp's own integer arithmetic) and 0.0013 after the f32 GEMM prefill.
    static let nearTie: Float = 0.2
    static let endOfTurn = 151645

    func testGreedyIdsMatchLlamaCpp() throws {
        let url = ModelDirectory.default.url(for: .decoder)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path),
                          "Qwen GGUF not found at \(url.path); run scripts/fetch-models")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/qwen-greedy-refs.json")
        let references = try JSONDecoder().decode(References.self, from: Data(contentsOf: fixture))
        let model = try LanguageModels.load(try GGUFFile(url: url), options: InferenceOptions(contextLength: 512))
        var exact = 0
        for reference in references.cases {
            model.reset()
            var logits = try model.append(reference.prompt_ids)
            // The reference stopped at end-of-turn after gen_ids when fewer than 64 were produced: expect it too.
            var expected = Array(reference.gen_ids.prefix(Self.steps))
            if expected.count < Self.steps, reference.stop.hasPrefix("eog") { expected.append(Self.endOfTurn) }
            var matched = true
            for (step, want) in expected.enumerated() {
                let (best, gap) = Self.topTwo(logits)
                if best != want {
                    matched = false
                    let note = "\(reference.variant)/\(reference.id): step \(step) chose \(best), llama.cpp \(want), our top-2 gap \(gap)"
                    XCTAssertLessThan(logits[want], logits[best], note)
                    XCTAssertLessThan(gap, Self.nearTie, "divergence that is not a near-tie: " + note)
                    print("near-tie divergence accepted: " + note)
                    break
                }
                if step + 1 < expected.count { logits = try model.append([best]) }
            }
            if matched { exact += 1 }
        }
        print("greedy conformance: \(exact)/\(references.cases.count) cases match the first \(Self.steps) ids exactly")
    }

    /// Index of the largest logit and its gap to the runner-up.
    static func topTwo(_ logits: [Float]) -> (Int, Float) {
        var best = 0, first = -Float.infinity, second = -Float.infinity
        for (i, v) in logits.enumerated() {
            if v > first { second = first; first = v; best = i } else if v > second { second = v }
        }
        return (best, first - second)
    }
}

/// Prompt-lookup decoding on the real model: the same tokens as plain decoding, greedy and sampled.
final class PromptLookupDecodingTests: XCTestCase {
    func testPromptLookupKeepsPlainDecodingsTokens() throws {
        let url = ModelDirectory.default.url(for: .decoder)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path),
                          "Qwen GGUF not found at \(url.path); run scripts/fetch-models")
        let file = try GGUFFile(url: url)
        let tokenizer = try BPETokenizer(gguf: file)
        let model = try LanguageModels.load(file, options: InferenceOptions(contextLength: 512))
        let passage = "预训练的目标是因果语言建模：对文本中的每个位置，模型输出整个词表上的概率分布，损失函数是正确词元概率的负对数，也就是交叉熵。"
        let prompt = tokenizer.encode(ChatTemplate.qwen.render([
            ChatMessage(.user, passage + "\n根据上文，预训练的目标是什么？请用原文的句子回答。"),
        ]))
        let limits = TokenGenerator.Limits(maxTokens: 48)
        var sampled = Sampler.Settings()
        sampled.seed = 7
        for settings in [Sampler.Settings.greedy, sampled] {
            let generator = TokenGenerator(model: model, tokenizer: tokenizer)
            let plain = try generator.generate(prompt: prompt, sampler: Sampler(settings), limits: limits)
            generator.promptLookup = PromptLookup(draftLength: 6)
            var streamed = ""
            let drafted = try generator.generate(prompt: prompt, sampler: Sampler(settings), limits: limits) { streamed += $0.text }
            XCTAssertEqual(drafted.tokens, plain.tokens, "temperature \(settings.temperature)")
            XCTAssertEqual(drafted.text, plain.text)
            XCTAssertEqual(streamed, plain.text)
            XCTAssertGreaterThan(drafted.draftedTokens, 0)
            if settings.temperature == 0 {
                XCTAssertGreaterThan(drafted.acceptedDraftTokens, 10, "the answer copies the passage: \(plain.text)")
            }
            print("prompt lookup, temperature \(settings.temperature): \(drafted.acceptedDraftTokens)/\(drafted.draftedTokens) drafted tokens kept of \(drafted.tokens.count)")
        }
    }
}
