/// What the rest of the engine needs from any tokenizer: text to token ids and back.
public protocol Tokenizer: Sendable {
    /// Token ids of `text` (special-token text such as `<|im_start|>` becomes that token).
    func encode(_ text: String) -> [Int]
    /// The text of `ids`, special tokens rendered as their text; invalid UTF-8 becomes U+FFFD.
    func decode(_ ids: [Int]) -> String
}
