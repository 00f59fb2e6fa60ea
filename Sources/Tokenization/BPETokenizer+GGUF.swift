import ModelFiles

extension BPETokenizer {
    /// The tokenizer stored in a GGUF file's metadata (`tokenizer.ggml.*`): byte-level BPE (`gpt2`) with the Qwen2
    /// pre-tokenizer. Throws `GGUFError` for missing keys and `TokenizerError` for what we do not support.
    public init(gguf file: GGUFFile) throws {
        let model = try file.string("tokenizer.ggml.model")
        guard model == "gpt2" else { throw TokenizerError.unsupportedModel(model) }
        let pre = try file.string("tokenizer.ggml.pre")
        guard pre == "qwen2" else { throw TokenizerError.unsupportedPreTokenizer(pre) }
        let tokens = try file.stringArray("tokenizer.ggml.tokens")
        // Files without token types treat every token as normal.
        let types = file.metadata["tokenizer.ggml.token_type"] == nil
            ? [Int](repeating: TokenKind.normal.rawValue, count: tokens.count)
            : try file.intArray("tokenizer.ggml.token_type")
        let kinds = try types.enumerated().map { id, type in
            guard let kind = TokenKind(rawValue: type) else {
                throw TokenizerError.malformedVocabulary("token \(id) has unknown type \(type)")
            }
            return kind
        }
        let merges = try file.stringArray("tokenizer.ggml.merges")
        let specials = SpecialTokens(
            beginOfSequence: file.metadata["tokenizer.ggml.bos_token_id"]?.intValue,
            endOfSequence: file.metadata["tokenizer.ggml.eos_token_id"]?.intValue,
            padding: file.metadata["tokenizer.ggml.padding_token_id"]?.intValue,
            addBeginOfSequence: file.metadata["tokenizer.ggml.add_bos_token"]?.boolValue ?? false)
        try self.init(tokens: tokens, kinds: kinds, merges: merges, specialTokens: specials)
    }
}
