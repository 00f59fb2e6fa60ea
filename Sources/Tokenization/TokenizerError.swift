/// Why a vocabulary cannot be turned into a tokenizer, as a one-line message saying what to do.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `tokenizer.ggml.model` names a tokenizer family we do not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer split we do not implement.
    case unsupportedPreTokenizer(String)
    /// The vocabulary contradicts itself (sizes differ, a byte has no token, a merge is not "a b", …).
    case malformedVocabulary(String)

    public var description: String {
        switch self {
        case .unsupportedModel(let name):
            "the model's tokenizer is '\(name)'; rag supports byte-level BPE ('gpt2'). Use a supported model file."
        case .unsupportedPreTokenizer(let name):
            "the model's pre-tokenizer is '\(name)'; rag supports 'qwen2'. Use a supported model file."
        case .malformedVocabulary(let what):
            "the model's vocabulary is malformed: \(what). Re-download the model (scripts/fetch-models)."
        }
    }
}
