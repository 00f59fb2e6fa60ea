import Foundation
import Kernels
import ModelFiles
import XCTest
@testable import Inference

/// A tiny random Qwen2-shaped model written as a GGUF file by the test itself: shapes, KV-cache consistency
/// (one batched prefill equals the same tokens decoded one at a time) and strict weight binding.
final class TinyQwen2Tests: XCTestCase {
    static let vocabulary = 50, width = 32, feedForward = 64, heads = 4, kvHeads = 2, blocks = 2
    var rng = SplitMix64(seed: 11)

    func randomFloats(_ count: Int, scale: Float = 0.3) -> [Float] {
        (0..<count).map { _ in Float(rng.nextUnit() * 2 - 1) * scale }
    }

    /// Q8_0 bytes for `rows` × `columns` random weights (exercises a quantised embedding and output path).
    func randomQ8_0(rows: Int, columns: Int, scale: Float16 = 0.01) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<(rows * columns / 32) {
            withUnsafeBytes(of: scale.bitPattern) { bytes += $0 }
            for _ in 0..<32 { bytes.append(UInt8(truncatingIfNeeded: Int(rng.next() % 255) - 127)) }
        }
        return bytes
    }

    /// The model's GGUF; `omit` drops one tensor, `extra` adds one nobody uses, `reshape` gives one a wrong shape.
    /// `poison` fills one tensor (or output.weight's block scales) with NaN, as flipped bytes in a damaged file can.
    func writeModel(omit: String? = nil, extra: Bool = false, reshape: String? = nil, poison: String? = nil) throws -> URL {
        let d = Self.width, kv = Self.kvHeads * (Self.width / Self.heads), ff = Self.feedForward
        var writer = GGUFWriter()
        writer.add("general.architecture", .string("qwen2"))
        writer.add("qwen2.block_count", .uint32(UInt32(Self.blocks)))
        writer.add("qwen2.embedding_length", .uint32(UInt32(d)))
        writer.add("qwen2.feed_forward_length", .uint32(UInt32(ff)))
        writer.add("qwen2.attention.head_count", .uint32(UInt32(Self.heads)))
        writer.add("qwen2.attention.head_count_kv", .uint32(UInt32(Self.kvHeads)))
        writer.add("qwen2.rope.freq_base", .float32(10_000))
        writer.add("qwen2.attention.layer_norm_rms_epsilon", .float32(1e-6))
        writer.add("qwen2.context_length", .uint32(64))
        func tensor(_ name: String, _ dims: [Int]) {
            guard name != omit else { return }
            let shape = name == reshape ? dims.map { $0 * 2 } : dims
            let values = name == poison ? [Float](repeating: .nan, count: shape.reduce(1, *)) : randomFloats(shape.reduce(1, *))
            writer.addTensor(name, dimensions: shape, floats: values)
        }
        writer.addTensor("token_embd.weight", dimensions: [d, Self.vocabulary], type: .q8_0,
                         data: randomQ8_0(rows: Self.vocabulary, columns: d))
        writer.addTensor("output.weight", dimensions: [d, Self.vocabulary], type: .q8_0,
                         data: randomQ8_0(rows: Self.vocabulary, columns: d, scale: poison == "output.weight" ? .nan : 0.01))
        tensor("output_norm.weight", [d])
        for b in 0..<Self.blocks {
            let p = "blk.\(b)."
            tensor(p + "attn_norm.weight", [d])
            tensor(p + "attn_q.weight", [d, d]); tensor(p + "attn_q.bias", [d])
            tensor(p + "attn_k.weight", [d, kv]); tensor(p + "attn_k.bias", [kv])
            tensor(p + "attn_v.weight", [d, kv]); tensor(p + "attn_v.bias", [kv])
            tensor(p + "attn_output.weight", [d, d])
            tensor(p + "ffn_norm.weight", [d])
            tensor(p + "ffn_gate.weight", [d, ff]); tensor(p + "ffn_up.weight", [d, ff])
            tensor(p + "ffn_down.weight", [ff, d])
        }
        if extra { tensor("blk.0.attn_q_norm.weight", [d]) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-tiny-qwen2-\(UUID().uuidString).gguf")
        try writer.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func load(_ url: URL, context: Int = 64, threads: Int = 1) throws -> any LanguageModel {
        try LanguageModels.load(try GGUFFile(url: url),
                                options: InferenceOptions(parallelism: Parallelism(threads: threads), contextLength: context))
    }

    func testConfigAndLogitShapes() throws {
        let model = try load(try writeModel())
        XCTAssertEqual(model.config.headDimension, 8)
        XCTAssertEqual(model.config.kvDimension, 16)
        XCTAssertEqual(model.config.vocabularySize, Self.vocabulary)
        let logits = try model.append([1, 2, 3])
        XCTAssertEqual(logits.count, Self.vocabulary)
        XCTAssertTrue(logits.allSatisfy(\.isFinite))
        XCTAssertEqual(model.position, 3)
    }

    func testBatchedPrefillEqualsOneTokenAtATime() throws {
        let url = try writeModel()
        let tokens = [5, 17, 3, 42, 0, 49, 8, 8, 21]
        for threads in [1, 2] {
            let model = try load(url, threads: threads)
            var batched: [[Float]] = Array(repeating: [], count: tokens.count)
            try model.forward(tokens, logitsFor: 0..<tokens.count) { i, logits in batched[i] = Array(logits) }
            model.reset()
            for (i, token) in tokens.enumerated() {
                let single = try model.append([token])
                for v in 0..<Self.vocabulary {
                    XCTAssertEqual(single[v], batched[i][v], accuracy: 1e-4, "token \(i), logit \(v), \(threads) threads")
                }
            }
            // Rewinding keeps the shared prefix: recomputing the last token gives the same logits again.
            model.rewind(to: tokens.count - 1)
            let again = try model.append([tokens.last!])
            for v in 0..<Self.vocabulary { XCTAssertEqual(again[v], batched.last![v], accuracy: 1e-4) }
        }
    }

    /// The verification pass of prompt-lookup decoding: a few tokens in one `decodeSteps` give exactly (not
    /// approximately, as the batched prefill does) the logits of decoding them one at a time.
    func testDecodeStepsEqualOneTokenAtATimeBitForBit() throws {
        let url = try writeModel()
        let prompt = [5, 17, 3], tokens = [42, 0, 49, 8]
        for threads in [1, 2] {
            let model = try load(url, threads: threads)
            _ = try model.append(prompt)
            var steps: [[Float]] = []
            try model.decodeSteps(tokens) { i, logits in
                XCTAssertEqual(i, steps.count)
                steps.append(Array(logits))
            }
            XCTAssertEqual(model.position, prompt.count + tokens.count)
            model.rewind(to: prompt.count)
            for (i, token) in tokens.enumerated() {
                XCTAssertEqual(try model.append([token]), steps[i], "token \(i), \(threads) threads")
            }
        }
    }

    func testStrictBindingRejectsMissingExtraAndMisshapenTensors() throws {
        XCTAssertThrowsError(try load(try writeModel(omit: "blk.1.ffn_up.weight"))) { error in
            XCTAssertEqual(error as? InferenceError, .missingTensor("blk.1.ffn_up.weight"))
        }
        XCTAssertThrowsError(try load(try writeModel(extra: true))) { error in
            XCTAssertEqual(error as? InferenceError, .unusedTensors(["blk.0.attn_q_norm.weight"]))
        }
        XCTAssertThrowsError(try load(try writeModel(reshape: "blk.0.attn_k.bias"))) { error in
            XCTAssertEqual(error as? InferenceError, .wrongShape(tensor: "blk.0.attn_k.bias", expected: [16], found: [32]))
        }
    }

    func testContextLimitIsAClearError() throws {
        let model = try load(try writeModel(), context: 8)
        _ = try model.append([1, 2, 3, 4, 5])
        XCTAssertThrowsError(try model.append([1, 2, 3, 4])) { error in
            XCTAssertEqual(error as? InferenceError, .contextFull(limit: 8, needed: 9))
            XCTAssertTrue("\(error)".contains("context"))
        }
        XCTAssertThrowsError(try model.append([Self.vocabulary])) { error in
            XCTAssertEqual(error as? InferenceError, .tokenOutOfRange(Self.vocabulary, vocabularySize: Self.vocabulary))
        }
    }

    /// Issue 9: a damaged model generated "!!!!!!!!" (NaN logits sampled as token 0) and exited 0.
    func testNaNScoresAreAnErrorNeverSampled() throws {
        let model = try load(try writeModel(poison: "output.weight"))
        XCTAssertThrowsError(try model.append([1, 2, 3])) { error in
            XCTAssertEqual(error as? InferenceError, .nonFiniteLogits(position: 3))
            XCTAssertTrue("\(error)".contains("rag models --rehash"))
        }
    }

    func testUnknownArchitectureIsRefused() throws {
        var writer = GGUFWriter()
        writer.add("general.architecture", .string("mamba"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-mamba-\(UUID().uuidString).gguf")
        try writer.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try load(url)) { error in
            XCTAssertEqual(error as? InferenceError, .unsupportedArchitecture("mamba", supported: ["qwen2"]))
        }
    }
}
