/// Turns generated token ids into text as they arrive, never emitting half a UTF-8 character: a token can end
/// inside a multi-byte character (emoji, rare CJK), so its bytes wait until the character is complete.
public struct StreamingDetokenizer {
    private let tokenizer: BPETokenizer
    private let renderSpecial: Bool
    /// Bytes of a character that is not complete yet (at most 3).
    private var pending: [UInt8] = []

    public init(tokenizer: BPETokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds one token and returns the text that became complete (possibly empty).
    public mutating func append(_ id: Int) -> String {
        tokenizer.appendBytes(of: id, renderSpecial: renderSpecial, to: &pending)
        let keep = UTF8Decoding.incompleteSuffixLength(pending)
        let text = String(decoding: pending[..<(pending.count - keep)], as: UTF8.self)
        pending.removeFirst(pending.count - keep)
        return text
    }

    /// Ends the stream: whatever is still pending can never complete, so it comes out as U+FFFD.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }
}
