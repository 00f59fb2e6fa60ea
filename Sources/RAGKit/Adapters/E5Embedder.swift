import Foundation
import Inference
import Kernels
import ModelFiles
import Retrieval

/// Retrieval's `TextEmbedder` and `TokenCounter`, backed by our multilingual-e5-small encoder.
public final class E5Embedder: TextEmbedder, TokenCounter {
    public let encoder: E5Encoder
    public let parallelism: Parallelism
    /// Names the exact model file: an index built with another file must be rebuilt.
    public let modelID: String

    public var dimension: Int { encoder.dimension }

    /// Loads the verified encoder from the models directory (a missing or damaged file is a one-line error).
    public init(threads: Int, directory: ModelDirectory = .default, kernels: MatrixKernels = .int8) throws {
        let url = try directory.verifiedURL(for: .encoder)
        encoder = try E5Encoder(url: url, kernels: kernels)
        parallelism = Parallelism(threads: threads)
        modelID = "multilingual-e5-small-q4_0@" + KnownModel.encoder.sha256.prefix(12)
    }

    public func embedPassages(_ texts: [String]) throws -> [[Float]] {
        encoder.embed(texts, role: .passage, parallelism: parallelism)
    }

    public func embedQuery(_ text: String) throws -> [Float] {
        encoder.embed([text], role: .query, parallelism: parallelism)[0]
    }

    /// Content tokens of `text` alone (no prefix, no specials): additive over sentences, which is what the
    /// chunker needs; a passage adds 4 (`passage: ` prefix, `<s>`, `</s>`) to fill its window.
    public func tokenCount(_ text: String) -> Int {
        encoder.tokenizer.encode(text).count
    }

    /// The window less the two tokens of the "passage: " prefix (`<s>` and `</s>` are outside the window).
    public var tokenLimit: Int? { encoder.windowLength - 2 }
}
