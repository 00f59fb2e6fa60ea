import GRDB

/// The index schema as numbered, append-only migrations: never edit a shipped one, add the next number.
enum SchemaMigrations {
    /// The newest schema version this build writes; recorded in `index_metadata` for people reading the file.
    static let currentVersion = 3

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: documents, chunks, vectors, full text, metadata") { db in
            try db.execute(sql: """
                CREATE TABLE documents (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,                 -- as the user named it (relative to the ingest's cwd when inside it)
                    absolute_path TEXT NOT NULL UNIQUE, -- identity of the document, used by --prune
                    sha256 TEXT NOT NULL,               -- hex of the file's bytes
                    size INTEGER NOT NULL,              -- bytes
                    mtime REAL NOT NULL,                -- seconds since 1970
                    title TEXT NOT NULL,
                    format TEXT NOT NULL,               -- txt | md | html
                    encoding TEXT NOT NULL,             -- utf-8 | utf-8-bom | utf-16 | gb18030
                    chunking TEXT NOT NULL,             -- signature of the chunking parameters that made its chunks
                    encoder_model TEXT,                 -- encoder that embedded its chunks; NULL = no vectors
                    ingested_at REAL NOT NULL           -- seconds since 1970
                );
                CREATE TABLE chunks (
                    id INTEGER PRIMARY KEY,
                    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,           -- 0-based position in its document
                    text TEXT NOT NULL,
                    start_offset INTEGER NOT NULL,      -- Unicode scalars into the cleaned document text
                    end_offset INTEGER NOT NULL,        -- exclusive
                    heading_path TEXT NOT NULL,         -- JSON array of the enclosing headings, outermost first
                    token_count INTEGER NOT NULL,       -- in the unit of the document's chunking signature
                    UNIQUE (document_id, ordinal)
                );
                CREATE TABLE chunk_vectors (
                    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
                    model_id TEXT NOT NULL,
                    vector BLOB NOT NULL                -- dimension × float32 little-endian, L2-normalised
                );
                CREATE VIRTUAL TABLE chunk_fts USING fts5(
                    terms,                              -- chunk text with CJK runs rewritten as overlapping bigrams
                    unigrams,                           -- every CJK character alone, for one-character queries
                    tokenize = 'porter unicode61 remove_diacritics 2'
                );
                CREATE TRIGGER chunks_leave_fts AFTER DELETE ON chunks BEGIN
                    DELETE FROM chunk_fts WHERE rowid = old.id;
                END;
                CREATE TABLE index_metadata (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
            try db.execute(sql: "INSERT INTO index_metadata (key, value) VALUES ('schema_version', '1')")
        }
        // Dense search scores a passage by its own vector and its best sentence's (see `PassageScoring`).
        // Documents embedded before v2 keep working with passage vectors alone until an ingest re-embeds them.
        migrator.registerMigration("v2: sentence vectors") { db in
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN sentence_vectors INTEGER NOT NULL DEFAULT 0; -- 1: its chunks' sentences were embedded
                CREATE TABLE sentence_vectors (
                    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,           -- 0-based among the chunk's embedded sentences
                    start_offset INTEGER NOT NULL,      -- Unicode scalars into the chunk's text
                    end_offset INTEGER NOT NULL,        -- exclusive
                    vector BLOB NOT NULL,               -- same encoder and layout as chunk_vectors
                    PRIMARY KEY (chunk_id, ordinal)     -- a rowid table: 1.5 KB rows would overflow WITHOUT ROWID pages
                );
                UPDATE index_metadata SET value = '2' WHERE key = 'schema_version';
                """)
        }
        // PDF passages cite their pages. NULL for documents without pages (txt, md, html, docx, EPUB) and for
        // every chunk written before v3.
        migrator.registerMigration("v3: chunk pages") { db in
            try db.execute(sql: """
                ALTER TABLE chunks ADD COLUMN page_start INTEGER;   -- 1-based first page of the passage
                ALTER TABLE chunks ADD COLUMN page_end INTEGER;     -- last page, inclusive (= page_start unless it spans pages)
                UPDATE index_metadata SET value = '3' WHERE key = 'schema_version';
                """)
        }
        return migrator
    }
}
