/// The SentencePiece-unigram vocabulary stored in a model file: piece bytes, log-probability scores and the
/// special ids. Plain immutable data; the tokenizer builds its lookup structures from it.
public struct UnigramVocabulary: Sendable {
    /// All piece bytes back to back; piece `i` is `blob[pieceOffsets[i] ..< pieceOffsets[i + 1]]` (UTF-8).
    public let blob: [UInt8]
    /// `pieceCount + 1` non-decreasing offsets into `blob`, the last equal to `blob.count`.
    public let pieceOffsets: [UInt32]
    /// Unigram log-probability of each piece (0 for the specials).
    public let scores: [Float]
    public let bos: Int32
    public let eos: Int32
    public let pad: Int32
    public let unknown: Int32

    public var pieceCount: Int { scores.count }

    /// The bytes of piece `id`.
    public func pieceBytes(_ id: Int) -> ArraySlice<UInt8> {
        blob[Int(pieceOffsets[id])..<Int(pieceOffsets[id + 1])]
    }

    /// The text of piece `id` (for display; invalid UTF-8 is repaired).
    public func pieceText(_ id: Int) -> String { String(decoding: pieceBytes(id), as: UTF8.self) }

    public init(blob: [UInt8], pieceOffsets: [UInt32], scores: [Float], bos: Int32, eos: Int32, pad: Int32,
                unknown: Int32) {
        self.blob = blob
        self.pieceOffsets = pieceOffsets
        self.scores = scores
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unknown = unknown
    }
}

/// Per-code-point text normalisation (SentencePiece `nmt_nfkc` evaluated one character at a time): a sorted
/// table from a code point to its replacement, which may be empty (the character is deleted).
public struct CharacterNormalization: Sendable {
    /// Strictly increasing code points that have a replacement.
    public let codePoints: [UInt32]
    /// `codePoints.count + 1` offsets into `replacements`.
    public let replacementOffsets: [UInt32]
    /// Replacement code points back to back (valid Unicode scalars).
    public let replacements: [UInt32]

    public init(codePoints: [UInt32], replacementOffsets: [UInt32], replacements: [UInt32]) {
        self.codePoints = codePoints
        self.replacementOffsets = replacementOffsets
        self.replacements = replacements
    }

    /// The replacement of `codePoint`, or nil when the character stays as it is.
    @inline(__always)
    public func replacement(of codePoint: UInt32) -> ArraySlice<UInt32>? {
        var lo = 0, hi = codePoints.count - 1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            let value = codePoints[mid]
            if value == codePoint {
                return replacements[Int(replacementOffsets[mid])..<Int(replacementOffsets[mid + 1])]
            }
            if value < codePoint { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}
