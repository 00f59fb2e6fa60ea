import Retrieval

/// The single place where the engine is wired into Retrieval's protocols.
///
/// The encoder (multilingual-e5-small) is not in this build yet, so there is no embedder: ingest stores
/// no vectors and dense or hybrid search answers that the encoder is not available.
func makeEmbedder(threads: Int) throws -> TextEmbedder? {
    nil
}

/// Chunks are measured in the encoder's tokens when the embedder can count them, else in characters;
/// `unit` names the measure in the index so a change of unit re-chunks every document.
func makeTokenCounter(for embedder: TextEmbedder?) -> (counter: TokenCounter, unit: String) {
    if let embedder, let counter = embedder as? TokenCounter { return (counter, "tokens:" + embedder.modelID) }
    return (CharacterCounter(), "characters")
}
