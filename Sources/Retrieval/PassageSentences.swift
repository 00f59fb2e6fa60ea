import Store

/// The sentences of a few passages with their encoder vectors ("passage: " side), embedded in one batch.
/// The extractive answer ranks them against the question; grounding ranks them against each generated
/// sentence. Overlapping chunks repeat sentences: each distinct sentence is kept once, with its first chunk.
public struct PassageSentences {
    public struct Sentence: Equatable, Sendable {
        public var text: String
        /// Index into the `chunks` the pool was built from.
        public var chunkIndex: Int
    }

    /// Sentences shorter than this many non-space characters (headings, list stubs) say too little to quote.
    public static let minimumLength = 8

    public let chunks: [StoredChunk]
    public let sentences: [Sentence]
    /// sentences.count vectors of the embedder's dimension, L2-normalised.
    public let vectors: [[Float]]

    public init(chunks: [StoredChunk], embedder: TextEmbedder) throws {
        var seen: Set<String> = []
        var sentences: [Sentence] = []
        for (index, chunk) in chunks.enumerated() {
            for text in PromptBuilder.sentences(of: chunk.text)
            where CharacterCounter().tokenCount(text) >= Self.minimumLength && seen.insert(text).inserted {
                sentences.append(Sentence(text: text, chunkIndex: index))
            }
        }
        self.chunks = chunks
        self.sentences = sentences
        self.vectors = sentences.isEmpty ? [] : try embedder.embedPassages(sentences.map(\.text))
    }

    /// Cosine of `vector` (L2-normalised) with every sentence, in sentence order.
    public func similarities(to vector: [Float]) -> [Float] {
        vectors.map { Self.cosine($0, vector) }
    }

    /// Dot product of two unit vectors: their cosine. Mismatched lengths compare their common prefix.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }
}
