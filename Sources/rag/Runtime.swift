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
