import Foundation
import Kernels
import XCTest
@testable import ModelFiles

/// The real Qwen2.5-Coder-0.5B-Instruct Q4_K_M file: the facts of FORMATS.md §3, and our block decoders
/// checked against rows dequantised by gguf-py (scripts/make-gguf-goldens.py). Skips when the model is absent.
final class QwenGGUFTests: XCTestCase {
    func testHeaderMetadataAndTensors() throws {
        let file = try GGUFFile(url: try qwenModelURL())
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.architecture, "qwen2")
        XCTAssertEqual(try file.int("qwen2.block_count"), 24)
        XCTAssertEqual(try file.int("qwen2.embedding_length"), 896)
        XCTAssertEqual(try file.int("qwen2.feed_forward_length"), 4864)
        XCTAssertEqual(try file.int("qwen2.attention.head_count"), 14)
        XCTAssertEqual(try file.int("qwen2.attention.head_count_kv"), 2)
        XCTAssertEqual(try file.int("qwen2.context_length"), 32768)
        XCTAssertEqual(try file.float("qwen2.rope.freq_base"), 1_000_000)
        XCTAssertEqual(try file.float("qwen2.attention.layer_norm_rms_epsilon"), 1e-6)
        XCTAssertEqual(try file.string("tokenizer.ggml.model"), "gpt2")
        XCTAssertEqual(try file.string("tokenizer.ggml.pre"), "qwen2")
        XCTAssertEqual(try file.stringArray("tokenizer.ggml.tokens").count, 151936)
        XCTAssertEqual(try file.intArray("tokenizer.ggml.token_type").count, 151936)
        XCTAssertEqual(try file.stringArray("tokenizer.ggml.merges").count, 151387)
        XCTAssertEqual(try file.int("tokenizer.ggml.bos_token_id"), 151643)
        XCTAssertEqual(try file.int("tokenizer.ggml.eos_token_id"), 151645)
        XCTAssertEqual(try file.bool("tokenizer.ggml.add_bos_token"), false)

        XCTAssertEqual(file.tensors.count, 291)
        XCTAssertEqual(Set(file.tensors.values.map(\.type)), [.f32, .q5_0, .q8_0, .q4_K, .q6_K])
        let embedding = try file.tensor(named: "token_embd.weight")
        XCTAssertEqual(embedding.dimensions, [896, 151936])
        XCTAssertEqual(embedding.type, .q5_0)
        XCTAssertEqual(try file.tensor(named: "output.weight").type, .q8_0)
        XCTAssertEqual(try file.floats(named: "output_norm.weight").count, 896)
        for block in 0..<24 {
            let p = "blk.\(block)."
            XCTAssertEqual(try file.tensor(named: p + "attn_q.weight").dimensions, [896, 896])
            XCTAssertEqual(try file.tensor(named: p + "attn_k.weight").dimensions, [896, 128])
            XCTAssertEqual(try file.tensor(named: p + "attn_v.weight").dimensions, [896, 128])
            XCTAssertEqual(try file.floats(named: p + "attn_q.bias").count, 896)
            XCTAssertEqual(try file.floats(named: p + "attn_k.bias").count, 128)
            XCTAssertEqual(try file.tensor(named: p + "ffn_gate.weight").dimensions, [896, 4864])
            XCTAssertEqual(try file.tensor(named: p + "ffn_up.weight").dimensions, [896, 4864])
            let down = try file.weightMatrix(named: p + "ffn_down.weight")
            XCTAssertEqual([down.columns, down.rows], [4864, 896])
            XCTAssertTrue([.q4_K, .q6_K].contains(down.type))
        }
    }

    struct Goldens: Decodable {
        struct Row: Decodable {
            let tensor: String
            let type: String
            let row: Int
            let columns: Int
            let indices: [Int]
            let values: [Double]
            let sum: Double
            let sum_of_squares: Double
        }
        let cases: [Row]
    }

    func testReferenceDequantizationMatchesGGUFPy() throws {
        let file = try GGUFFile(url: try qwenModelURL())
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/qwen-dequant-goldens.json")
        let goldens = try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: fixture))
        XCTAssertEqual(Set(goldens.cases.map(\.type)), ["Q5_0", "Q8_0", "Q4_K", "Q6_K", "F32"])
        for golden in goldens.cases {
            let matrix = try file.weightMatrix(named: golden.tensor)
            XCTAssertEqual(matrix.type.description, golden.type)
            XCTAssertEqual(matrix.columns, golden.columns)
            for fast in [false, true] {
                var row = [Float](repeating: .nan, count: matrix.columns)
                if fast { matrix.dequantizeRow(golden.row, into: &row) } else { matrix.referenceDequantizeRow(golden.row, into: &row) }
                let what = "\(golden.tensor) row \(golden.row) (\(fast ? "fast" : "reference"))"
                // gguf-py computes in f32 like we do; allow one rounding step of slack.
                for (i, expected) in zip(golden.indices, golden.values) {
                    XCTAssertEqual(Double(row[i]), expected, accuracy: abs(expected) * 1e-6 + 1e-9, "\(what) column \(i)")
                }
                let values = row.map(Double.init)
                XCTAssertEqual(values.reduce(0, +), golden.sum, accuracy: 1e-4, what)
                XCTAssertEqual(values.reduce(0) { $0 + $1 * $1 }, golden.sum_of_squares,
                               accuracy: golden.sum_of_squares * 1e-5, what)
            }
        }
    }
}
