@testable import Retrieval
@testable import Store
import XCTest

final class IngestorTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write("docs/pretraining.md", "# 预训练\n\n预训练在海量文本上学习预测下一个词元。它的代价很高。")
        try folder.write("docs/rlhf.txt", "人类反馈强化学习让模型更符合人的偏好。\n\n奖励模型给回答打分。")
        try folder.write("docs/attention.html", "<html><title>注意力</title><body><h1>注意力</h1><p>每个词元关注其他词元。</p></body></html>")
    }

    func ingestor(embedder: TextEmbedder? = nil, size: Int = 400) throws -> Ingestor {
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        return Ingestor(store: store, chunker: Chunker(parameters: try ChunkingParameters(size: size, overlap: 10), counter: CharacterCounter()),
                        embedder: embedder)
    }

    func ingest(_ paths: [String] = ["docs"], prune: Bool = false, embedder: TextEmbedder? = nil, size: Int = 400,
                onEvent: (IngestEvent) throws -> Void = { _ in }) throws -> IngestSummary {
        try ingestor(embedder: embedder, size: size).ingest(paths, prune: prune, workingDirectory: folder.url, onEvent: onEvent)
    }

    func testFirstIngestAddsEveryFileWithRelativePaths() throws {
        let summary = try ingest()
        XCTAssertEqual([summary.files, summary.added, summary.unchanged], [3, 3, 0])
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        XCTAssertEqual(try store.allDocuments().map(\.path), ["docs/attention.html", "docs/pretraining.md", "docs/rlhf.txt"])
        XCTAssertEqual(try store.allDocuments().map(\.title), ["注意力", "预训练", "人类反馈强化学习让模型更符合人的偏好。"])
    }

    func testUnchangedFilesAreSkippedAndChangedOnesReplaced() throws {
        _ = try ingest()
        let again = try ingest()
        XCTAssertEqual([again.changed, again.unchanged, again.chunks], [0, 3, 0])
        try folder.write("docs/rlhf.txt", "RLHF 的新内容。")
        let changed = try ingest()
        XCTAssertEqual([changed.added, changed.replaced, changed.unchanged], [0, 1, 2])
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        XCTAssertEqual(try store.lexicalSearch("奖励模型", limit: 5), [], "old passages are gone")
        XCTAssertEqual(try store.lexicalSearch("新内容", limit: 5).count, 1)
    }

    func testOtherChunkingParametersRechunkEveryDocument() throws {
        _ = try ingest()
        XCTAssertEqual(try ingest(size: 20).replaced, 3)
    }

    func testPruneRemovesDocumentsWhoseFilesAreGone() throws {
        _ = try ingest()
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("docs/rlhf.txt"))
        XCTAssertEqual(try ingest().pruned, [], "without --prune nothing is removed")
        let pruned = try ingest(prune: true)
        XCTAssertEqual(pruned.pruned, ["docs/rlhf.txt"])
        XCTAssertEqual(try PassageStore.open(at: folder.indexPath, create: false).statistics().documents, 2)
    }

    func testBadFilesAreSkippedWithOneLineReasonsAndTheRunGoesOn() throws {
        try folder.write("docs/empty.txt", "")
        try folder.write("docs/binary.txt", Data([0x00, 0x01, 0x02, 0xFF]))
        try folder.write("docs/latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x80, 0xFF]))
        try folder.write("docs/image.png", Data([0x89, 0x50]))  // other extensions inside folders are ignored
        try folder.write("docs/.hidden.md", "隐藏")
        let summary = try ingest()
        XCTAssertEqual(summary.added, 3)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.path, $0.reason) }), [
            "docs/binary.txt": "binary file (contains NUL bytes or control characters)",
            "docs/empty.txt": "empty file",
            "docs/latin1.txt": "not UTF-8, UTF-16 or GB18030 text",
        ])
        XCTAssertTrue(summary.skipped.allSatisfy { !$0.reason.contains("\n") })
    }

    func testGB18030FileIsIngestedAndSearchable() throws {
        try folder.write("docs/gbk.txt", gb18030("位置编码告诉模型每个词元的位置。"))
        _ = try ingest()
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        let hits = try store.chunks(ids: try store.lexicalSearch("位置编码", limit: 1).map(\.chunkID))
        XCTAssertEqual(hits.first?.text, "位置编码告诉模型每个词元的位置。")
    }

    func testAMissingPathIsAOneLineError() {
        XCTAssertThrowsError(try ingest(["nowhere"])) { error in
            XCTAssertEqual("\(error)", "cannot read nowhere: no such file or folder")
        }
    }

    func testInterruptedIngestLeavesAValidIndexAndTheRerunFinishes() throws {
        struct Killed: Error {}
        XCTAssertThrowsError(try ingest(onEvent: { event in
            if case .file(2, _, _) = event { throw Killed() }  // dies between the 2nd and 3rd document
        }))
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        XCTAssertEqual(try store.statistics().documents, 2)
        XCTAssertEqual(try store.integrityCheck(), "ok")
        let rerun = try ingest()
        XCTAssertEqual([rerun.added, rerun.unchanged], [1, 2])
    }

    func testAFailureInsideADocumentWritesNothingOfIt() throws {
        let embedder = HashedBigramEmbedder()
        embedder.failAfterCalls = 2  // the third document fails to embed
        XCTAssertThrowsError(try ingest(embedder: embedder))
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        let stats = try store.statistics()
        XCTAssertEqual([stats.documents, stats.chunks, stats.vectors], [2, 2, 2])
        embedder.failAfterCalls = .max
        XCTAssertEqual(try ingest(embedder: embedder).added, 1)
    }

    func testVectorsAreStoredWithTheModelAndAnotherModelIsRefused() throws {
        let summary = try ingest(embedder: HashedBigramEmbedder())
        XCTAssertEqual(summary.vectors, summary.chunks)
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        XCTAssertEqual(try store.metadata(.encoderModel), "test-hashed-bigrams")
        XCTAssertEqual(try store.metadata(.encoderDimension), "64")
        XCTAssertThrowsError(try ingest(embedder: HashedBigramEmbedder(modelID: "another"))) { error in
            XCTAssertEqual(error as? StoreError, .encoderMismatch(indexModel: "test-hashed-bigrams", currentModel: "another"))
        }
        XCTAssertThrowsError(try ingest(embedder: nil)) { XCTAssertTrue("\($0)".contains("no encoder is available")) }
    }

    func testEveryQuotableSentenceIsEmbeddedWithItsPassage() throws {
        let embedder = HashedBigramEmbedder()
        let summary = try ingest(embedder: embedder)
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        let chunkIDs = try store.vectorMatrix(model: embedder.modelID).chunkIDs
        let chunks = try store.chunks(ids: chunkIDs)
        let stored = try store.sentenceVectors(chunkIDs: chunkIDs)
        var total = 0
        for chunk in chunks {
            let expected = PassageSentences.quotableSentences(of: chunk.text)
            let vectors = stored[chunk.id] ?? []
            XCTAssertEqual(vectors.map { $0.start..<$0.end }, expected.map(\.range))
            XCTAssertEqual(vectors.map(\.vector), expected.map { embedder.vector($0.text) })
            total += vectors.count
        }
        XCTAssertGreaterThan(total, 0)
        XCTAssertEqual(summary.sentenceVectors, total)
        XCTAssertEqual(embedder.passagesEmbedded, summary.vectors + total, "passages and sentences, nothing twice")
    }

    /// Documents embedded before sentence vectors existed are re-embedded by the next ingest.
    func testDocumentsWithoutSentenceVectorsAreReembedded() throws {
        let embedder = HashedBigramEmbedder()
        _ = try ingest(embedder: embedder)
        let store = try PassageStore.open(at: folder.indexPath, create: false)
        try store.write { db in
            try db.execute(sql: "DELETE FROM sentence_vectors; UPDATE documents SET sentence_vectors = 0")
        }
        let rerun = try ingest(embedder: embedder)
        XCTAssertEqual([rerun.replaced, rerun.unchanged], [3, 0])
        XCTAssertGreaterThan(rerun.sentenceVectors, 0)
        XCTAssertEqual(try ingest(embedder: embedder).unchanged, 3)
    }

    func testAnIndexWithoutVectorsGetsThemWhenAnEncoderArrives() throws {
        _ = try ingest()
        let upgraded = try ingest(embedder: HashedBigramEmbedder())
        XCTAssertEqual(upgraded.replaced, 3)
        XCTAssertEqual(upgraded.vectors, upgraded.chunks)
    }
}
