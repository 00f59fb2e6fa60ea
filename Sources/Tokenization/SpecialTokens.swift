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
        for entry in entries where parseSpecial || !entry.isControl {
            var split: [Fragment] = []
            split.reserveCapacity(fragments.count)
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    split.append(fragment)
                    continue
                }
                var start = range.lowerBound
                var i = range.lowerBound
                let key = entry.bytes
                while i + key.count <= range.upperBound {
                    if utf8[i] == key[0] && Self.matches(key, utf8, at: i) {
                        if start < i { split.append(.text(start..<i)) }
                        split.append(.token(entry.id))
                        i += key.count
                        start = i
                    } else {
                        i += 1
                    }
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
