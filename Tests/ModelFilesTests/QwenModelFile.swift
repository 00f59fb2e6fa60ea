import Foundation
import XCTest

/// Where the real Qwen GGUF lives for model-backed tests ($RAG_MODELS or ~/.cache/rag/models), or a skip.
/// (Switch to `ModelDirectory.default.url(for: .decoder)` once ModelCatalog is on main.)
func qwenModelURL() throws -> URL {
    let directory = ProcessInfo.processInfo.environment["RAG_MODELS"]
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/rag/models").path
    let url = URL(fileURLWithPath: directory).appendingPathComponent("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
    try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path),
                      "Qwen GGUF not found at \(url.path); run scripts/fetch-models")
    return url
}

/// A fresh path under the temporary directory for one test's file.
func temporaryFileURL(_ name: String = "model.gguf") -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("rag-tests-\(UUID().uuidString)-\(name)")
}
