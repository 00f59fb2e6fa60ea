import Retrieval

/// The single place where the engine is wired into Retrieval's protocols: the multilingual-e5-small encoder
/// from the models directory. A missing or damaged model file is a one-line error naming scripts/fetch-models.
func makeEmbedder(threads: Int) throws -> TextEmbedder? {
    try E5Embedder(threads: threads)
}

/// Chunks are measured in the encoder's tokens when the embedder can count them, else in characters;
/// `unit` names the measure in the index so a change of unit re-chunks every document.
func makeTokenCounter(for embedder: TextEmbedder?) -> (counter: TokenCounter, unit: String) {
    if let embedder, let counter = embedder as? TokenCounter { return (counter, "tokens:" + embedder.modelID) }
    return (CharacterCounter(), "characters")
}

/// Why a command that needs a model cannot run on this machine or with this index.
enum ModelUnavailable: Error, CustomStringConvertible {
    case encoder(command: String)

    var description: String {
        switch self {
        case .encoder(let command):
            return "`rag \(command)` needs the encoder (multilingual-e5-small) and an index ingested with it: fetch it with scripts/fetch-models, then `rag ingest --rebuild PATH...`"
        }
    }
}

/// The generator behind `rag ask`'s generative answer: the GGUF decoder the options name (default: the
/// verified Qwen2.5 file). Called only when a question needs it.
func makeAnswerWriter(model: DecoderModelOptions, threads: Int) throws -> AnswerWriter {
    try QwenAnswerWriter(file: model.open(), threads: threads)
}
