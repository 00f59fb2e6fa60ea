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

    /// /work/shared/refs or $RAG_REFS: the conformance vectors (read-only, outside the repo).
    static func reference(_ name: String) throws -> Data {
        let directory = ProcessInfo.processInfo.environment["RAG_REFS"] ?? "/work/shared/refs"
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "reference file \(url.path) not found")
        return try Data(contentsOf: url)
    }
}
