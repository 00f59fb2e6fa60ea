/// What the rest of the engine needs from any tokenizer (BPE for Qwen2, unigram for e5): text to token ids.
/// Turning ids back into text is BPE-only (`BPETokenizer.decode`): the encoder never needs it.
public protocol Tokenizer: Sendable {
    /// Token ids of `text` (for BPE, special-token text such as `<|im_start|>` becomes that token).
    func encode(_ text: String) -> [Int]
}
