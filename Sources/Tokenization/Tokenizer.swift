/// Turns text into model token ids. Implementations keep their model data immutable, so one instance can serve
/// many threads; per-call scratch lives inside `encode`.
public protocol Tokenizer: Sendable {
    /// Token ids for `text`, without any special tokens the model adds around a sequence.
    func encode(_ text: String) -> [Int32]
}
