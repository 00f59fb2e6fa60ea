import Foundation
import ModelFiles
import Tokenization
import XCTest

/// The real Qwen GGUF ($RAG_MODELS or ~/.cache/rag/models) and its tokenizer, loaded once per test run, or a skip.
enum QwenModel {
    static let url = ModelDirectory.default.url(for: .decoder)

    private static let loaded: Result<BPETokenizer, Error> = Result { try BPETokenizer(gguf: GGUFFile(url: url)) }

    static func tokenizer() throws -> BPETokenizer {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path),
                          "Qwen GGUF not found at \(url.path); run scripts/fetch-models")
        return try loaded.get()
    }

    /// A conformance vector file from Tests/Fixtures (verbatim copies of the project's shared refs, so a fresh
    /// clone tests against them wherever it runs).
    static func reference(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }
}
