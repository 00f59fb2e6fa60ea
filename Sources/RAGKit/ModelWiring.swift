import Foundation
import Inference
import ModelFiles
import Retrieval

/// The one place where the engine is wired into Retrieval's protocols, for every front-end: the
/// multilingual-e5-small encoder and the GGUF decoder from the models directory (or a path).
public enum ModelWiring {
    /// The verified encoder. A missing or damaged model file is a one-line error naming scripts/fetch-models.
    public static func embedder(threads: Int) throws -> E5Embedder {
        try E5Embedder(threads: threads)
    }

    /// Chunks are measured in the encoder's tokens; `unit` names the measure in the index, so a change of
    /// encoder re-chunks every document.
    public static func tokenCounter(for embedder: E5Embedder) -> (counter: TokenCounter, unit: String) {
        (embedder, "tokens:" + embedder.modelID)
    }

    /// The GGUF decoder `model` names: a known decoder's short name (`qwen-0.5b`, `qwen-1.5b`, verified by
    /// sha256), else a file path; nil is the default Qwen2.5-0.5B.
    public static func decoderFile(_ model: String?) throws -> GGUFFile {
        let url: URL
        if let model, KnownModel(decoderNamed: model) == nil {
            url = URL(fileURLWithPath: model)
        } else {
            url = try ModelDirectory.default.verifiedURL(for: model.flatMap(KnownModel.init(decoderNamed:)) ?? .decoder)
        }
        return try GGUFFile(url: url)
    }

    /// The generator behind a generative answer: the decoder `model` names (see `decoderFile`).
    /// Called only when a question needs it: loading takes a moment.
    /// `reusesPromptCache`: see `QwenAnswerWriter.init`.
    public static func answerWriter(model: String?, threads: Int, reusesPromptCache: Bool = false) throws -> AnswerWriter {
        try QwenAnswerWriter(file: decoderFile(model), threads: threads, reusesPromptCache: reusesPromptCache)
    }
}

extension Sampler.Settings {
    /// The decoder's sampler stages for Retrieval's engine-free settings (the one place the two meet).
    public init(_ settings: GenerationSettings) {
        self.init()
        temperature = settings.temperature
        topK = settings.topK
        topP = settings.topP
        minP = settings.minP
        repetitionPenalty = settings.repetitionPenalty
        seed = settings.seed
    }
}
