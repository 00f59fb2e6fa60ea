import Foundation
import ModelFiles
import XCTest

/// Where the real Qwen GGUF lives for model-backed tests ($RAG_MODELS or ~/.cache/rag/models), or a skip.
func qwenModelURL() throws -> URL {
    let url = ModelDirectory.default.url(for: .decoder)
    try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path),
                      "Qwen GGUF not found at \(url.path); run scripts/fetch-models")
    return url
}

/// A fresh path under the temporary directory for one test's file.
func temporaryFileURL(_ name: String = "model.gguf") -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("rag-tests-\(UUID().uuidString)-\(name)")
}
