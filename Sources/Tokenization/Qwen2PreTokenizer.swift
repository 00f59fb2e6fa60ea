/// Qwen2's pre-tokenizer: splits text into the words BPE runs on, exactly as the regex
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// would (alternatives tried in order at each position), written as a scanner over Unicode scalars: faster than a
/// regex engine and exact about Unicode classes (\p{L} letters, \p{N} numbers, \s White_Space). Digits are split
/// one by one; a run of spaces before a word leaves its last space to that word.
public struct Qwen2PreTokenizer: Sendable {
    public init() {}

    /// The word boundaries of `text` as UTF-8 byte ranges, in order, covering all of it.
    public func split(_ text: String) -> [Range<Int>] {
        var text = text
        return text.withUTF8 { utf8 in
            var words: [Range<Int>] = []
            var scratch = Scratch()
            split(utf8, range: 0..<utf8.count, into: &words, scratch: &scratch)
            return words
        }
    }

    /// Per-call buffers, reused across fragments: one entry per scalar.
    struct Scratch {
        var classes: [ScalarClass] = []
        var values: [UInt32] = []
        /// UTF-8 offset of each scalar, plus the end offset.
        var offsets: [Int] = []
    }

    /// What the regex can tell apart about a scalar.
    enum ScalarClass: UInt8 {
        case letter, number, whitespace, other
    }

    /// Appends the words of `utf8[range]` (valid UTF-8) to `words`, as byte ranges of `utf8`.
    func split(_ utf8: UnsafeBufferPointer<UInt8>, range: Range<Int>, into words: inout [Range<Int>],
               scratch: inout Scratch)
    {
        decode(utf8, range: range, into: &scratch)
        let classes = scratch.classes, values = scratch.values, offsets = scratch.offsets
        let n = classes.count
        @inline(__always) func cls(_ i: Int) -> ScalarClass? { i < n ? classes[i] : nil }
        @inline(__always) func isNewline(_ i: Int) -> Bool { i < n && (values[i] == 0x0A || values[i] == 0x0D) }
        @inline(__always) func lowerASCII(_ i: Int) -> UInt32 {
            i < n && (0x41...0x5A).contains(values[i]) ? values[i] | 0x20 : (i < n ? values[i] : 0)
        }

        /// End (scalar index) of the word that starts at `start`: the first alternative that matches wins.
        func wordEnd(from start: Int) -> Int {
            let c = classes[start]
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if values[start] == 0x27 {  // '
                let a = lowerASCII(start + 1), b = lowerASCII(start + 2)
                if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return start + 2 }  // s t m d
                if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) {  // re ve ll
                    return start + 3
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if c == .letter || (c != .number && !isNewline(start) && cls(start + 1) == .letter) {
                var end = start + 1
                while cls(end) == .letter { end += 1 }
                return end
            }
            // \p{N}
            if c == .number { return start + 1 }
            //  ?[^\s\p{L}\p{N}]+[\r\n]*
            let punctuationStart = values[start] == 0x20 ? start + 1 : start
            if cls(punctuationStart) == .other {
                var end = punctuationStart + 1
                while cls(end) == .other { end += 1 }
                while isNewline(end) { end += 1 }
                return end
            }
            // What is left starts with whitespace: measure the run.
            var runEnd = start
            var afterLastNewline = -1
            while cls(runEnd) == .whitespace {
                if isNewline(runEnd) { afterLastNewline = runEnd + 1 }
                runEnd += 1
            }
            if afterLastNewline > 0 { return afterLastNewline }  // \s*[\r\n]+
            if runEnd - start > 1 && runEnd < n { return runEnd - 1 }  // \s+(?!\S): last space goes to the next word
            return max(runEnd, start + 1)  // \s+
        }

        var start = 0
        while start < n {
            let end = wordEnd(from: start)
            words.append(offsets[start]..<offsets[end])
            start = end
        }
    }

    /// Decodes valid UTF-8 into scalar values, classes and offsets.
    private func decode(_ utf8: UnsafeBufferPointer<UInt8>, range: Range<Int>, into scratch: inout Scratch) {
        scratch.classes.removeAll(keepingCapacity: true)
        scratch.values.removeAll(keepingCapacity: true)
        scratch.offsets.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        while i < range.upperBound {
            let lead = utf8[i]
            var value: UInt32
            var length: Int
            switch lead {
            case 0..<0x80: value = UInt32(lead); length = 1
            case 0xC0..<0xE0: value = UInt32(lead & 0x1F); length = 2
            case 0xE0..<0xF0: value = UInt32(lead & 0x0F); length = 3
            default: value = UInt32(lead & 0x07); length = 4
            }
            for k in 1..<length { value = value << 6 | UInt32(utf8[i + k] & 0x3F) }
            scratch.values.append(value)
            scratch.classes.append(Self.classify(value))
            scratch.offsets.append(i)
            i += length
        }
        scratch.offsets.append(range.upperBound)
    }

    private static let asciiClasses: [ScalarClass] = (0..<128).map { v in
        switch UInt8(v) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .number
        case 0x09...0x0D, 0x20: .whitespace
        default: .other
        }
    }

    @inline(__always)
    static func classify(_ value: UInt32) -> ScalarClass {
        if value < 128 { return asciiClasses[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }
}
