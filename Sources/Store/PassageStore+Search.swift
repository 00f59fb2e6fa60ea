import GRDB

/// Lexical search: BM25 over the FTS5 index, with the query rewritten by `FullTextTerms`.
extension PassageStore {
    /// The best `limit` chunks for `query` by BM25, best first. A query with nothing searchable in it
    /// (only punctuation, say) has no hits.
    public func lexicalSearch(_ query: String, limit: Int) throws -> [LexicalHit] {
        guard limit > 0, let expression = FullTextTerms.matchExpression(for: query) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, bm25(chunk_fts, ?, ?) AS rank FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY rank, rowid LIMIT ?
                """, arguments: [FullTextTerms.columnWeights.terms, FullTextTerms.columnWeights.unigrams, expression, limit]).map { LexicalHit(chunkID: $0[0], score: -($0[1] as Double)) }
        }
    }
}
