/// The kinds of vocabulary entries GGUF distinguishes (`tokenizer.ggml.token_type`).
public enum TokenKind: Int, Sendable {
    case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
}

/// The ids the engine treats specially: what starts a sequence, what ends generation.
public struct SpecialTokens: Equatable, Sendable {
    public var beginOfSequence: Int?
    public var endOfSequence: Int?
    public var padding: Int?
    /// Whether a prompt starts with `beginOfSequence` (false for Qwen).
    public var addBeginOfSequence: Bool
    /// Every token that ends generation: the EOS and the end-of-turn markers such as `<|im_end|>` and `<|endoftext|>`.
    public var endOfGeneration: Set<Int>

    public init(beginOfSequence: Int? = nil, endOfSequence: Int? = nil, padding: Int? = nil,
                addBeginOfSequence: Bool = false, endOfGeneration: Set<Int> = [])
    {
        self.beginOfSequence = beginOfSequence
        self.endOfSequence = endOfSequence
        self.padding = padding
        self.addBeginOfSequence = addBeginOfSequence
        self.endOfGeneration = endOfGeneration
    }

    /// Control-token texts that end a turn in the chat formats we know (as llama.cpp recognises them).
    static let endOfTurnTexts: Set<String> = [
        "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>", "<|fim_pad|>",
        "<|repo_name|>", "<|file_sep|>",
    ]
}

/// Finds special-token text (`<|im_start|>`, `<tool_call>` …) in raw text so it becomes that one token instead of
/// being spelled out by BPE. As in llama.cpp, longer tokens are matched first over the whole text, then shorter
/// ones in what is left; user-defined tokens always match, control tokens only when asked (`parseSpecial`).
struct SpecialTokenMatcher: Sendable {
    struct Entry: Sendable {
        let bytes: [UInt8]
        let id: Int32
        let isControl: Bool
    }

    /// A piece of the input: plain text (a byte range) or a matched special token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    /// Longest first.
    let entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries.filter { !$0.bytes.isEmpty }.sorted {
            $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id
        }
    }

    func partition(_ utf8: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = utf8.isEmpty ? [] : [.text(0..<utf8.count)]
        let active = entries.filter { parseSpecial || !$0.isControl }
        guard !active.isEmpty else { return fragments }
        // One pass finds where any special token could start ('<' for Qwen); each token then only tries those.
        var isFirstByte = [Bool](repeating: false, count: 256)
        for entry in active { isFirstByte[Int(entry.bytes[0])] = true }
        var candidates: [Int] = []
        for i in 0..<utf8.count where isFirstByte[Int(utf8[i])] { candidates.append(i) }
        guard !candidates.isEmpty else { return fragments }

        for entry in active {
            let key = entry.bytes
            var split: [Fragment] = []
            split.reserveCapacity(fragments.count)
            var c = 0
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    split.append(fragment)
                    continue
                }
                var start = range.lowerBound
                while c < candidates.count && candidates[c] < start { c += 1 }
                while c < candidates.count && candidates[c] + key.count <= range.upperBound {
                    let i = candidates[c]
                    c += 1
                    guard i >= start, utf8[i] == key[0], Self.matches(key, utf8, at: i) else { continue }
                    if start < i { split.append(.text(start..<i)) }
                    split.append(.token(entry.id))
                    start = i + key.count
                }
                if start < range.upperBound { split.append(.text(start..<range.upperBound)) }
            }
            fragments = split
        }
        return fragments
    }

    @inline(__always)
    private static func matches(_ key: [UInt8], _ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        for k in 1..<key.count where utf8[i + k] != key[k] { return false }
        return true
    }
}
