/// Turns text into L2-normalised vectors; implemented by the real encoder in the rag target.
public protocol TextEmbedder: AnyObject {
    var modelID: String { get }        // recorded in the index; a different id means "rebuild"
    var dimension: Int { get }
    func embedPassages(_ texts: [String]) throws -> [[Float]]
    func embedQuery(_ text: String) throws -> [Float]
}

/// Measures text in the encoder's tokens so passages fit its window.
public protocol TokenCounter {
    func tokenCount(_ text: String) -> Int
    /// The most a passage may count and still be read whole by the encoder (nil: no limit).
    var tokenLimit: Int? { get }
}

extension TokenCounter {
    public var tokenLimit: Int? { nil }
}

/// Measures text in non-whitespace Unicode scalars (one per Chinese character): the chunk-size unit until
/// the encoder's tokenizer is wired in. Whitespace is free, as it nearly is in subword tokens, so a
/// passage counts exactly the sum of its sentences.
public struct CharacterCounter: TokenCounter {
    public init() {}
    public func tokenCount(_ text: String) -> Int {
        var n = 0
        for s in text.unicodeScalars {
            let space = s.value < 0x80 ? (s == " " || s == "\n" || s == "\t" || s == "\r") : s.properties.isWhitespace
            if !space { n += 1 }
        }
        return n
    }
}
