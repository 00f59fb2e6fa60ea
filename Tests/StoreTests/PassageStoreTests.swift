import GRDB
@testable import Store
import XCTest

final class PassageStoreTests: XCTestCase {
    var folder: URL!
    var indexPath: String { folder.appendingPathComponent("index.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func document(_ name: String, sha: String = "aa") -> NewDocument {
        NewDocument(path: name, absolutePath: "/docs/" + name, sha256: sha, size: 10, mtime: 1, title: name,
                    format: "txt", encoding: "utf-8", chunking: "characters size=400 overlap=60")
    }

    func chunk(_ text: String) -> NewChunk {
        NewChunk(text: text, start: 0, end: text.unicodeScalars.count, headingPath: ["标题", "小节"], tokenCount: text.count)
    }

    func testMissingIndexIsNotCreatedByReaders() {
        XCTAssertThrowsError(try PassageStore.open(at: indexPath, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .noIndex(path: indexPath))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: indexPath))
    }

    func testNewIndexIsMigratedToTheCurrentSchemaInWALMode() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        XCTAssertEqual(try store.metadata(.schemaVersion), String(SchemaMigrations.currentVersion))
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
        // Opening again applies nothing twice.
        XCTAssertEqual(try PassageStore.open(at: indexPath, create: false).statistics().documents, 0)
    }

    /// A first ingest killed after creating the file but before its schema was written leaves an empty file;
    /// a read command then migrates it, and must read the tables it just made (kill-test, "first write of a
    /// new index, killed +0 ms": `rag stats` said "no such table: documents").
    func testAReadCommandOnAnIndexWhoseFirstWriterDiedReadsTheSchemaItMigrated() throws {
        FileManager.default.createFile(atPath: indexPath, contents: Data())
        let store = try PassageStore.open(at: indexPath, create: false, access: .read)
        XCTAssertEqual(try store.statistics().documents, 0)
        XCTAssertEqual(try store.metadata(.schemaVersion), String(SchemaMigrations.currentVersion))
    }

    /// The same with an old schema that sits only in the WAL of a writer that is still open (its WAL is
    /// never folded in while the reader looks).
    func testAReadCommandMigratesAnIndexWhoseSchemaIsOnlyInTheWAL() throws {
        let writer = try DatabasePool(path: indexPath)
        try SchemaMigrations.migrator.migrate(writer, upTo: "v1: documents, chunks, vectors, full text, metadata")
        let store = try PassageStore.open(at: indexPath, create: false, access: .read)
        XCTAssertEqual(try store.statistics().documents, 0)
        XCTAssertEqual(try store.metadata(.schemaVersion), String(SchemaMigrations.currentVersion))
        try writer.close()
    }

    func testIndexFromANewerSchemaIsRefused() throws {
        _ = try PassageStore.open(at: indexPath, create: true)
        let queue = try DatabaseQueue(path: indexPath)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        XCTAssertThrowsError(try PassageStore.open(at: indexPath, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: indexPath))
            XCTAssertTrue("\(error)".contains("newer version of rag"))
        }
    }

    func testAFileThatIsNotSQLiteIsNotAnIndex() throws {
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: indexPath))
        XCTAssertThrowsError(try PassageStore.open(at: indexPath, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .notAnIndex(path: indexPath))
        }
    }

    func testAnotherApplicationsDatabaseIsNeverMigrated() throws {
        let queue = try DatabaseQueue(path: indexPath)
        try queue.write { db in try db.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        try queue.close()
        XCTAssertThrowsError(try PassageStore.open(at: indexPath, create: false)) { error in
            XCTAssertEqual(error as? StoreError, .notAnIndex(path: indexPath))
        }
        let tables = try DatabaseQueue(path: indexPath).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        XCTAssertEqual(tables, ["contacts"])
    }

    func testALockedIndexIsReportedNotHung() throws {
        let store = try PassageStore.open(at: indexPath, create: true, busyTimeout: 0.05)
        var holdsLock = Configuration()
        holdsLock.allowsUnsafeTransactions = true  // this connection plays another process mid-ingest
        let other = try DatabaseQueue(path: indexPath, configuration: holdsLock)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        XCTAssertThrowsError(try store.replaceDocument(document("a.txt"), chunks: [chunk("x")])) { error in
            XCTAssertEqual(error as? StoreError, .locked(path: indexPath))
        }
        try other.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        XCTAssertNoThrow(try store.replaceDocument(document("a.txt"), chunks: [chunk("x")]))
    }

    func testReplacingADocumentReplacesItsChunksFullTextAndVectors() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        try store.replaceDocument(document("a.txt"), chunks: [chunk("预训练模型很大"), chunk("微调模型")],
                                  vectors: DocumentVectors(modelID: "test-model", passages: [[1, 0], [0, 1]]))
        XCTAssertEqual(try store.lexicalSearch("预训练", limit: 5).count, 1)
        try store.replaceDocument(document("a.txt", sha: "bb"), chunks: [chunk("强化学习")], vectors: DocumentVectors(modelID: "test-model", passages: [[0.6, 0.8]]))
        XCTAssertEqual(try store.lexicalSearch("预训练", limit: 5).count, 0, "old full-text rows are gone")
        XCTAssertEqual(try store.lexicalSearch("强化", limit: 5).count, 1)
        let stats = try store.statistics()
        XCTAssertEqual([stats.documents, stats.chunks, stats.vectors], [1, 1, 1])
        XCTAssertEqual(try store.document(atAbsolutePath: "/docs/a.txt")?.sha256, "bb")
        let ftsRows = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_fts") }
        XCTAssertEqual(ftsRows, 1)
    }

    func testRemovingDocumentsCascades() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        let sentence = SentenceVector(start: 0, end: 3, vector: [0, 1])
        let id = try store.replaceDocument(document("a.txt"), chunks: [chunk("注意力")], vectors: DocumentVectors(
            modelID: "m", chunks: [ChunkVectors(passage: [1, 0], sentences: [sentence])]))
        try store.removeDocuments(ids: [id])
        let stats = try store.statistics()
        XCTAssertEqual([stats.documents, stats.chunks, stats.vectors, stats.sentenceVectors], [0, 0, 0, 0])
        XCTAssertEqual(try store.lexicalSearch("注意力", limit: 5), [])
    }

    func testChineseAndEnglishLexicalSearchRanksTheBetterMatchFirst() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        try store.replaceDocument(document("a.txt"), chunks: [
            chunk("监督微调使用人工编写的问答对继续训练模型。"),
            chunk("预训练是在海量无标注文本上训练模型预测下一个词元，预训练的代价很高。"),
            chunk("Positional encodings tell the Transformer where each token is."),
        ])
        let hits = try store.chunks(ids: try store.lexicalSearch("预训练", limit: 3).map(\.chunkID))
        XCTAssertTrue(hits.first?.text.hasPrefix("预训练") == true)
        XCTAssertEqual(hits.first?.headingPath, ["标题", "小节"])
        let english = try store.chunks(ids: try store.lexicalSearch("positional encoding", limit: 3).map(\.chunkID))
        XCTAssertEqual(english.count, 1, "porter stemming matches encodings")
        XCTAssertEqual(try store.lexicalSearch("词", limit: 3).count, 1, "a one-character query uses the unigram column")
    }

    func testHostileQueriesNeverReachFTS5AsSyntax() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        try store.replaceDocument(document("a.txt"), chunks: [chunk("NEAR and OR are words here, \"quoted\" (too)")])
        for query in [#"""#, #"a""#, "*", "NEAR(", "(((", ")", "OR", "AND NOT", "col:val", "^x", "-", "'", "\"NEAR\" *", "预训练\" OR \"x"] {
            XCTAssertNoThrow(try store.lexicalSearch(query, limit: 5), query)
        }
        XCTAssertEqual(try store.lexicalSearch("NEAR(", limit: 5).count, 1)
        XCTAssertEqual(try store.lexicalSearch("(too", limit: 5).count, 1)
    }

    func testVectorsRoundTripAsOneContiguousMatrix() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        try store.replaceDocument(document("a.txt"), chunks: [chunk("一"), chunk("二")], vectors: DocumentVectors(modelID: "m", passages: [[1, 2, 3], [4, 5, 6]]))
        try store.replaceDocument(document("b.txt"), chunks: [chunk("三")], vectors: DocumentVectors(modelID: "m", passages: [[7, 8, 9]]))
        let matrix = try store.vectorMatrix(model: "m")
        XCTAssertEqual(matrix.dimension, 3)
        XCTAssertEqual(matrix.chunkIDs.count, 3)
        let exact = try store.passageVectors(chunkIDs: matrix.chunkIDs, model: "m")
        XCTAssertEqual(matrix.chunkIDs.map { exact[$0] }, [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        for (row, expected) in [[Float(1), 2, 3], [4, 5, 6], [7, 8, 9]].enumerated() {
            for (got, want) in zip(matrix.rows.dequantised(row: row), expected) { XCTAssertEqual(got, want, accuracy: expected.max()! / 254) }
        }
        XCTAssertEqual(try store.passageVectors(chunkIDs: matrix.chunkIDs, model: "other"), [:])
        XCTAssertEqual(try store.chunks(ids: matrix.chunkIDs).map(\.text), ["一", "二", "三"])
        XCTAssertEqual(try store.vectorMatrix(model: "other").count, 0)
        XCTAssertEqual(VectorBlob.decode(VectorBlob.encode([1.5, -2])), [1.5, -2])
        XCTAssertEqual([UInt8](VectorBlob.encode([1])), [0x00, 0x00, 0x80, 0x3F], "float32 little-endian")
    }

    func testAnotherEncoderOrDimensionIsRefused() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        try store.replaceDocument(document("a.txt"), chunks: [chunk("一")], vectors: DocumentVectors(modelID: "e5-small", passages: [[1, 0]]))
        XCTAssertThrowsError(try store.replaceDocument(document("b.txt"), chunks: [chunk("二")], vectors: DocumentVectors(modelID: "other", passages: [[1, 0]]))) { error in
            XCTAssertEqual(error as? StoreError, .encoderMismatch(indexModel: "e5-small", currentModel: "other"))
            XCTAssertTrue("\(error)".contains("--rebuild"))
        }
        XCTAssertThrowsError(try store.replaceDocument(document("b.txt"), chunks: [chunk("二")], vectors: DocumentVectors(modelID: "e5-small", passages: [[1, 0, 0]])))
        XCTAssertEqual(try store.statistics().documents, 1, "a refused document is not half-written")
    }

    func testSentenceVectorsRoundTripPerChunkInOrder() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        let first = [SentenceVector(start: 0, end: 2, vector: [0, 1]), SentenceVector(start: 3, end: 7, vector: [0.6, 0.8])]
        try store.replaceDocument(document("a.txt"), chunks: [chunk("一二。三四五六"), chunk("七")], vectors: DocumentVectors(
            modelID: "m", chunks: [ChunkVectors(passage: [1, 0], sentences: first), ChunkVectors(passage: [0, 1], sentences: [])]))
        let ids = try store.vectorMatrix(model: "m").chunkIDs
        let stored = try store.sentenceVectors(chunkIDs: ids)
        XCTAssertEqual(stored[ids[0]], first)
        XCTAssertNil(stored[ids[1]], "a chunk without sentence vectors is left out")
        XCTAssertEqual(try store.statistics().sentenceVectors, 2)
        XCTAssertEqual(try store.document(atAbsolutePath: "/docs/a.txt")?.hasSentenceVectors, true)
        XCTAssertThrowsError(try store.replaceDocument(document("b.txt"), chunks: [chunk("八")], vectors: DocumentVectors(
            modelID: "m", chunks: [ChunkVectors(passage: [1, 0], sentences: [SentenceVector(start: 0, end: 1, vector: [1, 0, 0])])])),
            "a sentence vector of another dimension is refused")
    }

    /// An index written by the first schema (passage vectors only) opens, migrates, and marks its documents
    /// as lacking sentence vectors, so the next ingest re-embeds them; its passage vectors stay searchable.
    func testVersion1IndexIsMigratedAndItsDocumentsAskForSentenceVectors() throws {
        let queue = try DatabaseQueue(path: indexPath)
        try SchemaMigrations.migrator.migrate(queue, upTo: "v1: documents, chunks, vectors, full text, metadata")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO documents (id, path, absolute_path, sha256, size, mtime, title, format, encoding, chunking, encoder_model, ingested_at)
                VALUES (1, 'a.txt', '/docs/a.txt', 'aa', 1, 1, 'a', 'txt', 'utf-8', 'c', 'm', 1);
                INSERT INTO chunks (id, document_id, ordinal, text, start_offset, end_offset, heading_path, token_count)
                VALUES (1, 1, 0, '注意力', 0, 3, '[]', 3);
                INSERT INTO chunk_vectors (chunk_id, model_id, vector) VALUES (1, 'm', x'0000803f00000000');
                INSERT INTO index_metadata (key, value) VALUES ('encoder_model', 'm'), ('encoder_dimension', '2');
                """)
        }
        try queue.close()
        let store = try PassageStore.open(at: indexPath, create: false)
        XCTAssertEqual(try store.metadata(.schemaVersion), String(SchemaMigrations.currentVersion))
        XCTAssertEqual(try store.document(atAbsolutePath: "/docs/a.txt")?.hasSentenceVectors, false)
        XCTAssertEqual(try store.vectorMatrix(model: "m").count, 1)
        XCTAssertEqual(try store.passageVectors(chunkIDs: [1], model: "m"), [1: [1, 0]])
        XCTAssertEqual(try store.sentenceVectors(chunkIDs: [1]), [:])
    }

    /// A passage's pages are stored and read back; passages of documents without pages have none.
    func testChunkPagesRoundTrip() throws {
        let store = try PassageStore.open(at: indexPath, create: true)
        var onePage = chunk("第一页的内容"), twoPages = chunk("跨页的内容")
        onePage.pages = 12...12
        twoPages.pages = 12...13
        try store.replaceDocument(document("a.pdf"), chunks: [onePage, twoPages, chunk("没有页码")])
        let stored = try store.chunks(ids: [1, 2, 3])
        XCTAssertEqual(stored.map(\.pages), [12...12, 12...13, nil])
        XCTAssertEqual(stored.map(\.pageLabel), ["p.12", "pp.12–13", nil])
    }

    /// A version 2 index gains the page columns; its chunks keep their text and have no pages.
    func testVersion2IndexGainsPageColumns() throws {
        let queue = try DatabaseQueue(path: indexPath)
        try SchemaMigrations.migrator.migrate(queue, upTo: "v2: sentence vectors")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO documents (id, path, absolute_path, sha256, size, mtime, title, format, encoding, chunking, ingested_at)
                VALUES (1, 'a.txt', '/docs/a.txt', 'aa', 1, 1, 'a', 'txt', 'utf-8', 'c', 1);
                INSERT INTO chunks (id, document_id, ordinal, text, start_offset, end_offset, heading_path, token_count)
                VALUES (1, 1, 0, '注意力', 0, 3, '[]', 3);
                """)
        }
        try queue.close()
        let store = try PassageStore.open(at: indexPath, create: false)
        XCTAssertEqual(try store.metadata(.schemaVersion), "3")
        XCTAssertEqual(try store.chunks(ids: [1]).map(\.text), ["注意力"])
        XCTAssertEqual(try store.chunks(ids: [1]).map(\.pages), [nil])
    }

    /// Two processes opening an index that needs migrating (here two connections in one process) both get a
    /// working index: the one that loses the race finds the migrations done instead of failing.
    func testConcurrentOpenersOfAnOldIndexBothSucceed() throws {
        for round in 0..<20 {
            let path = folder.appendingPathComponent("race-\(round).sqlite").path
            let pool = try DatabasePool(path: path)  // in WAL mode, as rag wrote its v1 indexes
            try SchemaMigrations.migrator.migrate(pool, upTo: "v1: documents, chunks, vectors, full text, metadata")
            try pool.close()
            let failures = UnsafeMutableBufferPointer<String?>.allocate(capacity: 2)
            defer { failures.deallocate() }
            failures.initialize(repeating: nil)
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                do { _ = try PassageStore.open(at: path, create: false) } catch { failures[i] = "\(error)" }
            }
            XCTAssertEqual(Array(failures), [nil, nil], "round \(round)")
            XCTAssertEqual(try PassageStore.open(at: path, create: false).metadata(.schemaVersion), String(SchemaMigrations.currentVersion))
        }
    }
}
