/// Draft tokens for prompt-lookup decoding (Saxena 2023; llama.cpp's `lookup` example): when the last few tokens
/// also occur earlier in the prompt or the answer so far, the tokens that followed them there are a likely
/// continuation, since an answer from passages copies runs of their wording. The model then checks the whole
/// draft in one pass (`LanguageModel.decodeSteps`) and keeps the prefix it would have chosen anyway.
public struct PromptLookup: Sendable, Equatable {
    /// The longest and shortest token n-grams matched, longest tried first.
    public var longestMatch: Int
    public var shortestMatch: Int
    /// Tokens drafted at most per pass.
    public var draftLength: Int

    public init(longestMatch: Int = 3, shortestMatch: Int = 2, draftLength: Int = 8) {
        self.longestMatch = max(1, longestMatch)
        self.shortestMatch = max(1, min(shortestMatch, longestMatch))
        self.draftLength = max(1, draftLength)
    }

    /// Drafts of at most `draftLength` tokens with the default matching, or nil (one token per pass) for 0.
    public static func drafting(_ draftLength: Int) -> PromptLookup? {
        draftLength > 0 ? PromptLookup(draftLength: draftLength) : nil
    }

    /// How many tokens to draft after a pass that drafted `drafted` tokens (at most `length`) and kept `kept`:
    /// two more after a fully kept draft, one fewer after a rejected one, between 1 and `draftLength`. An answer
    /// that paraphrases its passages then stops paying for long drafts it rejects, and one that quotes them
    /// drafts long runs again.
    public func nextLength(after length: Int, drafted: Int, kept: Int) -> Int {
        guard drafted > 0 else { return length }
        return kept == drafted ? min(draftLength, length + 2) : max(1, length - 1)
    }

    /// The tokens that followed the latest earlier occurrence of `history`'s last n tokens (the longest n that
    /// occurs), at most `min(draftLength, limit)` of them; empty when nothing matches.
    public func draft(after history: [Int], limit: Int) -> [Int] {
        let length = min(draftLength, limit)
        guard length > 0 else { return [] }
        for n in stride(from: longestMatch, through: shortestMatch, by: -1) where history.count > n {
            let suffix = history.count - n
            // The latest start j < suffix whose n tokens equal the suffix's.
            var j = suffix - 1
            while j >= 0 {
                var k = 0
                while k < n, history[j + k] == history[suffix + k] { k += 1 }
                if k == n { return Array(history[(j + n)..<min(j + n + length, history.count)]) }
                j -= 1
            }
        }
        return []
    }
}
