/// How text reaches FTS5. SQLite's unicode61 tokenizer treats a run of Chinese characters (no spaces) as
/// one token, so "预训练模型" could only be found whole. We index every CJK run as overlapping character
/// bigrams ("预训 训练 练模 模型") beside the ordinary words, and each CJK character alone in a second
/// column. A query matches its bigrams (precise: they are words or word parts) and, at half weight, its
/// characters (recall for paraphrases that share few bigrams). On the 45 answerable questions of
/// eval/corpus-eval.jsonl (lexical, chunk size 400) recall@1 / recall@5 / MRR@10 were: bigrams only
/// 0.67 / 0.93 / 0.77, characters only 0.73 / 0.91 / 0.81, both with characters at 0.5: 0.76 / 0.93 / 0.82.
/// Every term is quoted, so user text can never be read as FTS5 syntax (quotes, `*`, NEAR, AND/OR/NOT,
/// parentheses, column filters).
public enum FullTextTerms {
    /// Terms in one query at most; longer questions keep their first terms (BM25 needs no more).
    static let maximumQueryTerms = 128
    /// BM25 weights of the two columns (`terms`, `unigrams`), in `bm25(chunk_fts, 1.0, 0.5)`.
    public static let columnWeights = (terms: 1.0, unigrams: 0.5)

    /// Han ideographs, kana and Hangul: scripts written without spaces between words.
    public static func isCJKScalar(_ s: Unicode.Scalar) -> Bool { isCJK(s) }

    @inline(__always)
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF,     // hiragana, katakana
             0x3400...0x4DBF,     // CJK extension A
             0x4E00...0x9FFF,     // CJK unified ideographs
             0xAC00...0xD7AF,     // Hangul syllables
             0xF900...0xFAFF,     // CJK compatibility ideographs
             0x20000...0x323AF:   // CJK extensions B–H
            return true
        default:
            return false
        }
    }

    /// Letters, digits and combining marks of non-CJK scripts: the characters unicode61 keeps in a word.
    @inline(__always)
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            return (0x30...0x39).contains(s.value) || (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
        }
        if s.properties.isAlphabetic || s.properties.numericType != nil { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return true
        default: return false
        }
    }

    /// A piece of text split into what the index sees: non-CJK words, and maximal CJK runs.
    enum Piece { case word(String), cjkRun([Unicode.Scalar]) }

    static func pieces(of text: String) -> [Piece] {
        var result: [Piece] = []
        var word = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flush() {
            if !word.isEmpty { result.append(.word(String(word))); word = String.UnicodeScalarView() }
            if !run.isEmpty { result.append(.cjkRun(run)); run = [] }
        }
        for s in text.unicodeScalars {
            if isCJK(s) {
                if !word.isEmpty { flush() }
                run.append(s)
            } else if isWordCharacter(s) {
                if !run.isEmpty { flush() }
                word.append(s)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// Overlapping bigrams of a CJK run; a one-character run is its own term.
    static func bigrams(_ run: [Unicode.Scalar]) -> [String] {
        guard run.count > 1 else { return run.map { String($0) } }
        return (0..<(run.count - 1)).map { i in
            var pair = String.UnicodeScalarView()
            pair.append(run[i]); pair.append(run[i + 1])
            return String(pair)
        }
    }

    /// The two FTS5 column values for a chunk: `terms` (words and CJK bigrams) and `unigrams` (CJK characters).
    public static func indexColumns(for text: String) -> (terms: String, unigrams: String) {
        var terms: [String] = [], unigrams: [String] = []
        for piece in pieces(of: text) {
            switch piece {
            case .word(let w): terms.append(w)
            case .cjkRun(let run):
                terms.append(contentsOf: bigrams(run))
                unigrams.append(contentsOf: run.map { String($0) })
            }
        }
        return (terms.joined(separator: " "), unigrams.joined(separator: " "))
    }

    /// A safe FTS5 MATCH expression that matches chunks containing any of the query's words, CJK bigrams
    /// or CJK characters (ranked by BM25, so chunks with more and rarer terms come first), or nil when
    /// nothing searchable is left.
    public static func matchExpression(for query: String) -> String? {
        var terms: [String] = [], unigrams: [String] = []
        var seen = Set<String>()
        for piece in pieces(of: query) {
            switch piece {
            case .word(let w):
                if seen.insert(w.lowercased()).inserted { terms.append(w) }
            case .cjkRun(let run):
                if run.count > 1 { for b in bigrams(run) where seen.insert(b).inserted { terms.append(b) } }
                for c in run.map({ String($0) }) where seen.insert("1:" + c).inserted { unigrams.append(c) }
            }
        }
        terms = Array(terms.prefix(maximumQueryTerms))
        unigrams = Array(unigrams.prefix(max(0, maximumQueryTerms - terms.count)))
        var clauses: [String] = []
        if !terms.isEmpty { clauses.append("terms : (" + terms.map(quoted).joined(separator: " OR ") + ")") }
        if !unigrams.isEmpty { clauses.append("unigrams : (" + unigrams.map(quoted).joined(separator: " OR ") + ")") }
        return clauses.isEmpty ? nil : clauses.joined(separator: " OR ")
    }

    /// An FTS5 string literal: inside double quotes every character is text, `"` is written twice.
    static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
