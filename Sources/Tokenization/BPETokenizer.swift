/// Byte-level BPE (GPT-2 family, as Qwen2 uses it): special-token text is cut out first, the rest is split into
/// words by `Qwen2PreTokenizer`, and each word's UTF-8 bytes are merged by rank into vocabulary tokens.
/// Immutable and thread-safe; per-call scratch lives inside `encode`.
public struct BPETokenizer: Tokenizer {
    /// Vocabulary entries as stored in the model: byte-level text for normal tokens (`Ġthe`), literal text for
    /// special ones (`<|im_end|>`).
    public let tokenTexts: [String]
    public let kinds: [TokenKind]
    public let specialTokens: SpecialTokens
    /// What each id stands for: raw bytes for normal tokens, the UTF-8 text of the others.
    let tokenBytes: ByteStringTable
    let merges: MergeTable
    let specialMatcher: SpecialTokenMatcher
    let preTokenizer = Qwen2PreTokenizer()

    /// Builds the tokenizer from a vocabulary: `tokens[id]` with its kind, and merges "left right" in rank order
    /// (byte-level text, as GGUF's `tokenizer.ggml.merges` and HF's merges list store them).
    public init(tokens: [String], kinds: [TokenKind], merges mergeTexts: [String], specialTokens: SpecialTokens) throws {
        guard tokens.count == kinds.count else {
            throw TokenizerError.malformedVocabulary("\(tokens.count) tokens but \(kinds.count) token types")
        }
        guard tokens.count < Int32.max else { throw TokenizerError.malformedVocabulary("\(tokens.count) tokens") }
        for (name, id) in [("BOS", specialTokens.beginOfSequence), ("EOS", specialTokens.endOfSequence),
                           ("padding", specialTokens.padding)] {
            if let id, !(0..<tokens.count).contains(id) {
                throw TokenizerError.malformedVocabulary("the \(name) id \(id) is not a token")
            }
        }
        tokenTexts = tokens
        self.kinds = kinds

        var blob: [UInt8] = []
        blob.reserveCapacity(tokens.count * 8)
        var starts: [Int32] = [0]
        starts.reserveCapacity(tokens.count + 1)
        var specialEntries: [SpecialTokenMatcher.Entry] = []
        for (id, (text, kind)) in zip(tokens, kinds).enumerated() {
            switch kind {
            case .normal, .byte:
                if !Self.appendRawBytes(ofTokenText: text, to: &blob) { blob += text.utf8 }
            case .control, .userDefined:
                blob += text.utf8
                specialEntries.append(.init(bytes: Array(text.utf8), id: Int32(id), isControl: kind == .control))
            case .unknown, .unused:
                blob += text.utf8
            }
            starts.append(Int32(blob.count))
        }
        tokenBytes = ByteStringTable(blob: blob, starts: starts)
        specialMatcher = SpecialTokenMatcher(entries: specialEntries)

        var byteTokens: [Int32] = []
        for byte in 0...255 as ClosedRange<UInt8> {
            guard let id = tokenBytes.index(of: [byte]) else {
                throw TokenizerError.malformedVocabulary("no token for the byte \(byte)")
            }
            byteTokens.append(Int32(id))
        }
        merges = try Self.mergeTable(mergeTexts, byteTokens: byteTokens, tokenBytes: tokenBytes)

        var specials = specialTokens
        if let eos = specials.endOfSequence { specials.endOfGeneration.insert(eos) }
        for (id, (text, kind)) in zip(tokens, kinds).enumerated()
        where kind == .control && SpecialTokens.endOfTurnTexts.contains(text) {
            specials.endOfGeneration.insert(id)
        }
        self.specialTokens = specials
    }

    /// Decodes byte-level text straight into `blob`; false (and `blob` unchanged) when a scalar is not in the alphabet.
    static func appendRawBytes(ofTokenText text: String, to blob: inout [UInt8]) -> Bool {
        let start = blob.count
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < ByteLevelEncoding.byteForScalar.count, ByteLevelEncoding.byteForScalar[value] >= 0 else {
                blob.removeSubrange(start...)
                return false
            }
            blob.append(UInt8(ByteLevelEncoding.byteForScalar[value]))
        }
        return true
    }

    /// Turns "left right" merge texts into id pairs. A merge whose parts or result are not tokens can never apply
    /// to token ids, so it is dropped.
    private static func mergeTable(_ texts: [String], byteTokens: [Int32], tokenBytes: ByteStringTable) throws -> MergeTable {
        var pairs: [(left: Int32, right: Int32, result: Int32)] = []
        pairs.reserveCapacity(texts.count)
        var raw: [UInt8] = []
        for (rank, text) in texts.enumerated() {
            let utf8 = Array(text.utf8)
            guard let space = utf8.firstIndex(of: 0x20), space > 0, space < utf8.count - 1 else {
                throw TokenizerError.malformedVocabulary("merge #\(rank) '\(text)' is not two tokens separated by a space")
            }
            raw.removeAll(keepingCapacity: true)
            guard appendRawBytes(ofTokenText: String(decoding: utf8[..<space], as: UTF8.self), to: &raw) else { continue }
            let leftCount = raw.count
            guard appendRawBytes(ofTokenText: String(decoding: utf8[(space + 1)...], as: UTF8.self), to: &raw) else { continue }
            guard let left = tokenBytes.index(of: raw[..<leftCount]),
                  let right = tokenBytes.index(of: raw[leftCount...]),
                  let result = tokenBytes.index(of: raw)
            else { continue }
            pairs.append((Int32(left), Int32(right), Int32(result)))
        }
        return MergeTable(byteTokens: byteTokens, pairs: pairs)
    }

    /// Number of vocabulary entries (ids are `0..<vocabularySize`).
    public var vocabularySize: Int { tokenTexts.count }

    /// Token ids of `text`, with special-token text parsed to its token (as llama.cpp does by default).
    public func encode(_ text: String) -> [Int] {
        encode(text, parseSpecial: true)
    }

    /// Token ids of `text`. With `parseSpecial` false, control-token text such as `<|im_start|>` is spelled out
    /// as ordinary text (user input that must not inject turns).
    public func encode(_ text: String, parseSpecial: Bool) -> [Int] {
        var text = text
        return text.withUTF8 { utf8 in
            var ids: [Int] = []
            ids.reserveCapacity(utf8.count / 2)
            var words: [Range<Int>] = []
            var scratch = Qwen2PreTokenizer.Scratch()
            var merger = BPEWordMerger()
            for fragment in specialMatcher.partition(utf8, parseSpecial: parseSpecial) {
                switch fragment {
                case .token(let id):
                    ids.append(Int(id))
                case .text(let range):
                    words.removeAll(keepingCapacity: true)
                    preTokenizer.split(utf8, range: range, into: &words, scratch: &scratch)
                    for word in words {
                        merger.merge(UnsafeBufferPointer(rebasing: utf8[word]), with: merges, into: &ids)
                    }
                }
            }
            return ids
        }
    }

    /// The text of `ids`, special tokens rendered as their text.
    public func decode(_ ids: [Int]) -> String {
        decode(ids, renderSpecial: true)
    }

    /// The text of `ids`; with `renderSpecial` false, control and unused tokens are left out. Ids outside the
    /// vocabulary and invalid UTF-8 become U+FFFD.
    public func decode(_ ids: [Int], renderSpecial: Bool) -> String {
        var bytes: [UInt8] = []
        for id in ids { appendBytes(of: id, renderSpecial: renderSpecial, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes token `id` stands for (what decoding it prints).
    public func bytes(of id: Int) -> ArraySlice<UInt8> {
        guard (0..<vocabularySize).contains(id) else { return ArraySlice(Self.replacementCharacter) }
        return tokenBytes.key(id)
    }

    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    func appendBytes(of id: Int, renderSpecial: Bool, to bytes: inout [UInt8]) {
        guard (0..<vocabularySize).contains(id) else { return bytes += Self.replacementCharacter }
        if !renderSpecial && [.control, .unused, .unknown].contains(kinds[id]) { return }
        bytes += tokenBytes.key(id)
    }

    /// The id of the vocabulary entry whose stored text is `text` (e.g. "<|im_end|>", or "Ġthe"), if any.
    public func id(ofTokenText text: String) -> Int? {
        if let id = specialMatcher.entries.first(where: { $0.bytes.elementsEqual(text.utf8) })?.id { return Int(id) }
        var raw: [UInt8] = []
        guard Self.appendRawBytes(ofTokenText: text, to: &raw), let id = tokenBytes.index(of: raw),
              tokenTexts[id] == text
        else { return tokenTexts.firstIndex(of: text) }
        return id
    }

    /// A readable form of one token: its text when its bytes are valid UTF-8, otherwise the valid parts with each
    /// stray byte shown as `\xNN` (a token can hold part of a multi-byte character).
    public func piece(for id: Int) -> String {
        let raw = Array(bytes(of: id))
        if let text = String(validating: raw, as: UTF8.self) { return text }
        var result = ""
        var i = 0
        while i < raw.count {
            let length = UTF8Decoding.sequenceLength(lead: raw[i])
            if i + length <= raw.count, let text = String(validating: raw[i..<(i + length)], as: UTF8.self) {
                result += text
                i += length
            } else {
                result += "\\x" + String(raw[i], radix: 16, uppercase: true).leftPadded(to: 2)
                i += 1
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
