import GRDB

/// Lexical search: BM25 over the FTS5 index, with the query rewritten by `FullTextTerms`.
extension PassageStore {
    /// The best `limit` chunks for `query` by BM25, best first, from the documents `documentIDs` when given
    /// (the restriction is part of the query, so `limit` hits come back whenever they exist). A query with
    /// nothing searchable in it (only punctuation, say) has no hits.
    public func lexicalSearch(_ query: String, limit: Int, documentIDs: [Int64]? = nil) throws -> [LexicalHit] {
        guard limit > 0, let expression = FullTextTerms.matchExpression(for: query) else { return [] }
        var arguments: StatementArguments = [FullTextTerms.columnWeights.terms, FullTextTerms.columnWeights.unigrams, expression]
        var restriction = ""
        if let documentIDs {
            restriction = " AND rowid IN (SELECT id FROM chunks WHERE document_id IN (SELECT value FROM json_each(?)))"
            arguments += [Self.jsonArray(documentIDs)]
        }
        arguments += [limit]
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, bm25(chunk_fts, ?, ?) AS rank FROM chunk_fts WHERE chunk_fts MATCH ?\(restriction) ORDER BY rank, rowid LIMIT ?
                """, arguments: arguments).map { LexicalHit(chunkID: $0[0], score: -($0[1] as Double)) }
        }
    }

    /// Every document's id and path as ingest recorded it: what a `DocumentFilter` is matched against.
    public func documentPaths() throws -> [(id: Int64, path: String)] {
        try read { db in try Row.fetchAll(db, sql: "SELECT id, path FROM documents ORDER BY id").map { ($0[0], $0[1]) } }
    }

    /// The ids of every chunk of the documents `documentIDs`.
    public func chunkIDs(ofDocuments documentIDs: [Int64]) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM chunks WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                               arguments: [Self.jsonArray(documentIDs)])
        }
    }

    /// Ids as one JSON array argument: any number of them in one bound parameter, read by `json_each`.
    private static func jsonArray(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}
