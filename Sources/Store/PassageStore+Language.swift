import GRDB

/// What language an index is written in, roughly: enough to tell whether an English question needs translating
/// before it searches (`CrossLanguageSearch`).
extension PassageStore {
    /// The share of Chinese (CJK) characters among the CJK characters and Latin letters of up to `sample`
    /// passages spread evenly over the index (0 for an empty one). Reads ~1 MB at most.
    public func chineseShare(sample: Int = 400) throws -> Double {
        let texts: [String] = try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? 0
            let step = max(1, count / max(1, sample))
            return try String.fetchAll(db, sql: "SELECT substr(text, 1, 2000) FROM chunks WHERE id % ? = 0 LIMIT ?",
                                       arguments: [step, sample])
        }
        var cjk = 0, latin = 0
        for text in texts {
            for s in text.unicodeScalars {
                if FullTextTerms.isCJKScalar(s) { cjk += 1 } else if s.value < 0x80, s.properties.isAlphabetic { latin += 1 }
            }
        }
        return cjk + latin == 0 ? 0 : Double(cjk) / Double(cjk + latin)
    }
}
