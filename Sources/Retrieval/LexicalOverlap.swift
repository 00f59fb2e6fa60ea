import Store

/// How much of a question's wording a sentence shares: the fraction of the question's terms (CJK character
/// bigrams, single CJK characters of one-character runs, lower-cased Latin words and numbers) that the
/// sentence contains. 0...1; a small tie-breaker beside the encoder's cosine, never the main signal.
public struct LexicalOverlap {
    let questionTerms: Set<String>

    public init(question: String) { questionTerms = Self.terms(of: question) }

    public func score(_ sentence: String) -> Float {
        guard !questionTerms.isEmpty else { return 0 }
        let shared = questionTerms.intersection(Self.terms(of: sentence))
        return Float(shared.count) / Float(questionTerms.count)
    }

    static func terms(of text: String) -> Set<String> {
        var terms: Set<String> = []
        var run: [Unicode.Scalar] = [], word = String.UnicodeScalarView()
        func flush() {
            if run.count == 1 { terms.insert(String(run[0])) }
            if run.count >= 2 {
                for i in 0..<(run.count - 1) { terms.insert(String(String.UnicodeScalarView([run[i], run[i + 1]]))) }
            }
            if !word.isEmpty { terms.insert(String(word).lowercased()) }
            run = []; word = String.UnicodeScalarView()
        }
        for s in text.unicodeScalars {
            if FullTextTerms.isCJKScalar(s) {
                if !word.isEmpty { flush() }
                run.append(s)
            } else if s.properties.isAlphabetic || s.properties.numericType != nil {
                if !run.isEmpty { flush() }
                word.append(s)
            } else {
                flush()
            }
        }
        flush()
        return terms
    }
}
