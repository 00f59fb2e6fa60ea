/// Adds the citations a generator leaves out: every generated sentence that cites nothing but is supported
/// by a passage of the prompt (see `Grounding`) gets that passage's "[n]", before its closing punctuation.
/// The added citations are marked `attributed`, so a reader can tell them from the model's own.
public enum CitationAttribution {
    /// The answer with the attributed numbers inserted, and every citation (the model's first, in order).
    public static func attribute(grounding: [GroundedSentence], modelCitations: [Citation],
                                 passages: [PromptPassage]) -> (text: String, citations: [Citation]) {
        var citations = modelCitations
        var sentences: [String] = []
        for sentence in grounding {
            guard sentence.cited.isEmpty, sentence.isSupported, let n = sentence.bestPassage, n >= 1, n <= passages.count else {
                sentences.append(sentence.text)
                continue
            }
            sentences.append(inserting("[\(n)]", into: sentence.text))
            if !citations.contains(where: { $0.n == n }) {
                let chunk = passages[n - 1].chunk
                citations.append(Citation(n: n, source: chunk.documentPath, chunk: chunk.ordinal, attributed: true, pages: chunk.pages))
            }
        }
        return (PromptBuilder.join(sentences), citations)
    }

    /// `sentence` with `mark` before its trailing terminators and closing quotes ("知识。" → "知识[1]。").
    static func inserting(_ mark: String, into sentence: String) -> String {
        var scalars = Array(sentence.unicodeScalars)
        var cut = scalars.count
        while cut > 0, SentenceSplitter.terminators.contains(scalars[cut - 1]) || scalars[cut - 1] == "."
                || SentenceSplitter.closers.contains(scalars[cut - 1]) {
            cut -= 1
        }
        scalars.insert(contentsOf: mark.unicodeScalars, at: cut)
        return String(String.UnicodeScalarView(scalars))
    }
}
