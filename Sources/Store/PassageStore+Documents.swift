import Foundation
import GRDB

/// Writing and listing documents. A document and everything derived from it (chunks, full-text rows,
/// vectors) change together in one transaction, so a killed ingest never leaves half a document.
extension PassageStore {
    private static let documentColumns = """
        d.id, d.path, d.absolute_path, d.sha256, d.size, d.mtime, d.title, d.chunking, d.encoder_model, d.sentence_vectors, d.ingested_at,
        (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunk_count
        """

    private static func document(from row: Row) -> StoredDocument {
        StoredDocument(id: row["id"], path: row["path"], absolutePath: row["absolute_path"], sha256: row["sha256"],
                       size: row["size"], mtime: row["mtime"], title: row["title"], chunking: row["chunking"],
                       encoderModel: row["encoder_model"], hasSentenceVectors: row["sentence_vectors"], chunkCount: row["chunk_count"], ingestedAt: row["ingested_at"])
    }

    /// The document stored for a file, if any.
    public func document(atAbsolutePath absolutePath: String) throws -> StoredDocument? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.documentColumns) FROM documents d WHERE d.absolute_path = ?",
                             arguments: [absolutePath]).map(Self.document(from:))
        }
    }

    /// Every document, ordered by path, with its chunk count.
    public func allDocuments() throws -> [StoredDocument] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.documentColumns) FROM documents d ORDER BY d.path").map(Self.document(from:))
        }
    }

    /// Replaces whatever was stored for `document.absolutePath` with `document`, its chunks and (when
    /// `vectors` is given, one `ChunkVectors` per chunk) their passage and sentence vectors, in one transaction.
    /// The first vectors written fix the index's encoder model and dimension; later ones must agree.
    @discardableResult
    public func replaceDocument(_ document: NewDocument, chunks: [NewChunk], vectors: DocumentVectors? = nil) throws -> Int64 {
        if let vectors { precondition(vectors.chunks.count == chunks.count, "one ChunkVectors per chunk") }
        return try write { db in
            if let vectors {
                try Self.claimEncoder(vectors.modelID, dimension: vectors.chunks.first?.passage.count, in: db)
                try Self.checkDimensions(vectors, in: db)
            }
            try db.execute(sql: "DELETE FROM documents WHERE absolute_path = ?", arguments: [document.absolutePath])
            try db.execute(sql: """
                INSERT INTO documents (path, absolute_path, sha256, size, mtime, title, format, encoding, chunking, encoder_model,
                                       sentence_vectors, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [document.path, document.absolutePath, document.sha256, document.size, document.mtime,
                                 document.title, document.format, document.encoding, document.chunking,
                                 vectors?.modelID, vectors != nil, Date().timeIntervalSince1970])
            let documentID = db.lastInsertedRowID
            let insertChunk = try db.cachedStatement(sql: """
                INSERT INTO chunks (document_id, ordinal, text, start_offset, end_offset, heading_path, token_count, page_start, page_end)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertTerms = try db.cachedStatement(sql: "INSERT INTO chunk_fts (rowid, terms, unigrams) VALUES (?, ?, ?)")
            let insertVector = try db.cachedStatement(sql: "INSERT INTO chunk_vectors (chunk_id, model_id, vector) VALUES (?, ?, ?)")
            let insertSentence = try db.cachedStatement(sql: """
                INSERT INTO sentence_vectors (chunk_id, ordinal, start_offset, end_offset, vector) VALUES (?, ?, ?, ?, ?)
                """)
            for (ordinal, chunk) in chunks.enumerated() {
                try insertChunk.execute(arguments: [documentID, ordinal, chunk.text, chunk.start, chunk.end,
                                                    HeadingPath.encode(chunk.headingPath), chunk.tokenCount,
                                                    chunk.pages?.lowerBound, chunk.pages?.upperBound])
                let chunkID = db.lastInsertedRowID
                let columns = FullTextTerms.indexColumns(for: chunk.text)
                try insertTerms.execute(arguments: [chunkID, columns.terms, columns.unigrams])
                guard let vectors else { continue }
                let chunkVectors = vectors.chunks[ordinal]
                try insertVector.execute(arguments: [chunkID, vectors.modelID, VectorBlob.encode(chunkVectors.passage)])
                for (index, sentence) in chunkVectors.sentences.enumerated() {
                    try insertSentence.execute(arguments: [chunkID, index, sentence.start, sentence.end, VectorBlob.encode(sentence.vector)])
                }
            }
            return documentID
        }
    }

    /// Removes documents (and with them their chunks, vectors and full-text rows).
    public func removeDocuments(ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM documents WHERE id = ?")
            for id in ids { try statement.execute(arguments: [id]) }
        }
    }

    /// Chunks by id, in the order asked, with their documents' paths; unknown ids are left out.
    public func chunks(ids: [Int64]) throws -> [StoredChunk] {
        guard !ids.isEmpty else { return [] }
        let byID: [Int64: StoredChunk] = try read { db in
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.chunkColumns) FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN (\(placeholders))
                """, arguments: StatementArguments(ids))
            return Dictionary(rows.map { row in (row[0], Self.chunk(from: row)) }, uniquingKeysWith: { a, _ in a })
        }
        return ids.compactMap { byID[$0] }
    }

    /// The document with this id, if the index holds it.
    public func document(id: Int64) throws -> StoredDocument? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.documentColumns) FROM documents d WHERE d.id = ?", arguments: [id])
                .map(Self.document(from:))
        }
    }

    /// Every chunk of one document, in order (empty for an unknown id).
    public func chunks(ofDocument documentID: Int64) throws -> [StoredChunk] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.chunkColumns) FROM chunks c JOIN documents d ON d.id = c.document_id
                WHERE c.document_id = ? ORDER BY c.ordinal
                """, arguments: [documentID]).map(Self.chunk(from:))
        }
    }

    private static let chunkColumns = """
        c.id, d.path, d.title, c.ordinal, c.text, c.start_offset, c.end_offset, c.heading_path, c.page_start, c.page_end
        """

    private static func chunk(from row: Row) -> StoredChunk {
        StoredChunk(id: row[0], documentPath: row[1], documentTitle: row[2], ordinal: row[3], text: row[4],
                    start: row[5], end: row[6], headingPath: HeadingPath.decode(row[7]), pages: pages(start: row[8], end: row[9]))
    }

    /// A chunk's page range from its nullable columns.
    static func pages(start: Int?, end: Int?) -> ClosedRange<Int>? {
        guard let start else { return nil }
        return start...max(start, end ?? start)
    }

    /// Every vector of a document must have the index's dimension (recorded by `claimEncoder`).
    static func checkDimensions(_ vectors: DocumentVectors, in db: Database) throws {
        guard let dimension = try String.fetchOne(db, sql: "SELECT value FROM index_metadata WHERE key = ?",
                                                  arguments: [MetadataKey.encoderDimension.rawValue]).flatMap(Int.init) else { return }
        for chunk in vectors.chunks {
            for vector in [chunk.passage] + chunk.sentences.map(\.vector) where vector.count != dimension {
                throw StoreError.dimensionMismatch(expected: dimension, got: vector.count)
            }
        }
    }

    /// Records the encoder of this index the first time vectors are written, and refuses another one later.
    static func claimEncoder(_ modelID: String, dimension: Int?, in db: Database) throws {
        let recorded = try String.fetchOne(db, sql: "SELECT value FROM index_metadata WHERE key = ?",
                                           arguments: [MetadataKey.encoderModel.rawValue])
        if let recorded, recorded != modelID {
            throw StoreError.encoderMismatch(indexModel: recorded, currentModel: modelID)
        }
        guard let dimension else { return }
        if let recordedDimension = try String.fetchOne(db, sql: "SELECT value FROM index_metadata WHERE key = ?",
                                                       arguments: [MetadataKey.encoderDimension.rawValue]).flatMap(Int.init) {
            if recordedDimension != dimension { throw StoreError.dimensionMismatch(expected: recordedDimension, got: dimension) }
        } else {
            try setMetadata(.encoderModel, modelID, in: db)
            try setMetadata(.encoderDimension, String(dimension), in: db)
        }
    }
}

/// Heading paths are stored as a JSON array of strings (headings may contain any character).
enum HeadingPath {
    static func encode(_ path: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: path, options: [])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
