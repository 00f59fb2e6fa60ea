@testable import Retrieval
import Store
import XCTest

final class RetrieverTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write("a.md", "# 预训练\n\n预训练在海量无标注文本上预测下一个词元。")
        try folder.write("b.md", "# 微调\n\n监督微调用人工写的问答继续训练。")
        try folder.write("c.md", "# 注意力\n\nAttention lets every token look at the others.")
    }

    func retriever(embedder: HashedBigramEmbedder?) throws -> Retriever {
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let chunker = Chunker(parameters: try ChunkingParameters(), counter: CharacterCounter())
        _ = try Ingestor(store: store, chunker: chunker, embedder: embedder).ingest(["."], workingDirectory: folder.url)
        return Retriever(store: store, embedder: embedder)
    }

    func testLexicalSearchFindsChineseAndEnglish() throws {
        let retriever = try retriever(embedder: nil)
        let hits = try retriever.search("预训练", mode: .lexical, k: 5)
        XCTAssertEqual(hits.first?.chunk.documentPath, "a.md")
        XCTAssertEqual(hits.map(\.rank), Array(1...hits.count))
        XCTAssertEqual(try retriever.search("attention token", mode: .lexical, k: 5).first?.chunk.documentPath, "c.md")
        XCTAssertThrowsError(try retriever.search("？！", mode: .lexical, k: 5)) {
            XCTAssertEqual($0 as? RetrievalError, .noSearchableTerms)
        }
    }

    func testWithoutAnEncoderDenseAndHybridSayWhyInsteadOfFallingBack() throws {
        let retriever = try retriever(embedder: nil)
        XCTAssertEqual(try retriever.defaultMode(), .lexical)
        for mode in [SearchMode.dense, .hybrid] {
            XCTAssertThrowsError(try retriever.search("预训练", mode: mode, k: 3)) {
                XCTAssertEqual($0 as? RetrievalError, .noEncoder)
            }
        }
    }

    func testDenseAndHybridRankByVectors() throws {
        let retriever = try retriever(embedder: HashedBigramEmbedder())
        XCTAssertEqual(try retriever.defaultMode(), .hybrid)
        let dense = try retriever.search("监督微调的问答", mode: .dense, k: 3)
        XCTAssertEqual(dense.first?.chunk.documentPath, "b.md")
        XCTAssertEqual(dense.count, 3)
        XCTAssertTrue(zip(dense, dense.dropFirst()).allSatisfy { $0.score >= $1.score })
        let hybrid = try retriever.search("预训练", mode: .hybrid, k: 2)
        XCTAssertEqual(hybrid.first?.chunk.documentPath, "a.md")
        XCTAssertEqual(hybrid.count, 2)
    }

    /// The filter is applied inside each ranking: k hits come back from the admitted documents even when
    /// better passages elsewhere would fill an unfiltered top k.
    func testFiltersKeepKHitsFromTheAdmittedDocumentsInEveryMode() throws {
        try folder.write("notes/d.md", "# 预训练笔记\n\n预训练很贵。\n\n预训练需要大量文本。")
        let retriever = try retriever(embedder: HashedBigramEmbedder())
        for mode in SearchMode.allCases {
            let inNotes = try retriever.search("预训练", mode: mode, k: 2, filter: DocumentFilter(included: ["notes/"]))
            XCTAssertFalse(inNotes.isEmpty, "\(mode)")
            XCTAssertTrue(inNotes.allSatisfy { $0.chunk.documentPath == "notes/d.md" }, "\(mode)")
            let outside = try retriever.search("预训练", mode: mode, k: 3, filter: DocumentFilter(excluded: ["a.md", "notes/*"]))
            XCTAssertTrue(outside.allSatisfy { !["a.md", "notes/d.md"].contains($0.chunk.documentPath) }, "\(mode)")
            if mode != .lexical { XCTAssertEqual(outside.count, 2, "dense ranks every admitted passage: b.md and c.md") }
        }
        XCTAssertThrowsError(try retriever.search("预训练", mode: .lexical, k: 2, filter: DocumentFilter(included: ["*.pdf"]))) {
            XCTAssertEqual($0 as? RetrievalError, .noDocumentMatches(filter: "in \"*.pdf\""))
        }
    }

    /// Each hit says where each ranking put it; with RRF the fused score is the sum over those ranks, and with
    /// the default convex fusion it is the hit's score.
    func testEveryHitExplainsItsRanks() throws {
        let embedder = HashedBigramEmbedder()
        let defaultFused = try XCTUnwrap(retriever(embedder: embedder).search("预训练", mode: .hybrid, k: 3).first)
        XCTAssertEqual(defaultFused.explanation.fusedScore, defaultFused.score)
        XCTAssertEqual(defaultFused.explanation.denseWeight, 0.6, "a Chinese question")
        XCTAssertTrue(defaultFused.explanation.summary.contains("= 0.6 × meaning + 0.4 × words"), defaultFused.explanation.summary)
        let retriever = Retriever(store: try PassageStore.open(at: folder.indexPath, create: false), embedder: embedder, fusion: .reciprocalRank)
        let hybrid = try retriever.search("预训练", mode: .hybrid, k: 3)
        let top = try XCTUnwrap(hybrid.first)
        XCTAssertEqual(top.explanation.mode, .hybrid)
        let dense = try XCTUnwrap(top.explanation.denseRank), fused = try XCTUnwrap(top.explanation.fusedScore)
        let words = top.explanation.lexicalRank.map { 1 / (60 + Double($0)) } ?? 0
        XCTAssertEqual(fused, 1 / (60 + Double(dense)) + words, accuracy: 1e-12)
        XCTAssertEqual(fused, top.score)
        XCTAssertNotNil(top.explanation.passageCosine)
        XCTAssertTrue(top.explanation.summary.contains("meaning #\(dense)"), top.explanation.summary)
        let lexical = try retriever.search("预训练", mode: .lexical, k: 1)
        XCTAssertEqual(lexical.first?.explanation.lexicalRank, 1)
        XCTAssertEqual(lexical.first?.explanation.bm25, lexical.first?.score)
        XCTAssertNil(lexical.first?.explanation.denseRank)
        XCTAssertFalse(lexical.first?.explanation.summary.contains("meaning") ?? true, "a lexical search says nothing of meaning")
    }

    func testDocumentFilterGlobs() {
        let pdfs = DocumentFilter(included: ["*.pdf"])
        XCTAssertTrue(pdfs.admits(path: "manuals/deep/x.pdf"), "* crosses folders")
        XCTAssertFalse(pdfs.admits(path: "x.md"))
        XCTAssertTrue(DocumentFilter(included: ["09-*.md"]).admits(path: "Corpus/09-pretraining.md"), "a name alone matches the file name")
        XCTAssertFalse(DocumentFilter(included: ["Corpus/09-*.md"]).admits(path: "Other/Corpus/09-x.md"), "a path pattern is anchored")
        XCTAssertTrue(DocumentFilter(included: ["Corpus/"]).admits(path: "Corpus/sub/a.md"), "a trailing / is the whole folder")
        XCTAssertFalse(DocumentFilter(included: ["Corpus/"]).admits(path: "Corpus2/a.md"))
        let both = DocumentFilter(included: ["Corpus/", "notes/"], excluded: ["*.html"])
        XCTAssertTrue(both.admits(path: "notes/a.md"))
        XCTAssertFalse(both.admits(path: "Corpus/04-transformer-overview.html"), "exclusion wins")
        XCTAssertTrue(DocumentFilter.all.admits(path: "anything"))
        XCTAssertEqual(both.description, "in \"Corpus/\" or \"notes/\", not in \"*.html\"")
    }

    func testReciprocalRankFusionRewardsAgreement() {
        let fused = Retriever.fuse([[(1, 0.9), (2, 0.8), (3, 0.1)], [(2, 12), (3, 11), (4, 1)]])
        XCTAssertEqual(fused.map(\.chunkID), [2, 3, 1, 4])
        XCTAssertEqual(fused[0].score, 1 / 62.0 + 1 / 61.0, accuracy: 1e-12)
    }

    /// Convex fusion looks at scores, not ranks: the clear lexical winner comes first when words weigh most, the
    /// dense winner when meaning does, and a passage found by both sits between.
    func testConvexFusionWeighsNormalisedScores() {
        let meaning: [(chunkID: Int64, score: Double)] = [(1, 0.90), (2, 0.89), (3, 0.80)]
        let words: [(chunkID: Int64, score: Double)] = [(4, 30), (2, 5), (3, 1)]
        let wordy = Retriever.convexFuse(meaning: meaning, words: words, denseWeight: 0.3)
        XCTAssertEqual(wordy.map(\.chunkID), [4, 2, 1, 3])
        XCTAssertEqual(wordy[1].score, 0.3 * 0.9 + 0.7 * (4.0 / 29), accuracy: 1e-9)
        XCTAssertEqual(Retriever.convexFuse(meaning: meaning, words: words, denseWeight: 0.9).map(\.chunkID), [1, 2, 4, 3])
        XCTAssertEqual(Retriever.convexFuse(meaning: meaning, words: [], denseWeight: 0.5).map(\.chunkID), [1, 2, 3],
                       "one empty ranking leaves the other's order")
    }

    func testDenseScoreBlendsThePassageWithItsBestSentence() {
        XCTAssertEqual(PassageScoring.score(passage: 0.8, bestSentence: 0.9), 0.85, accuracy: 1e-6)
        XCTAssertEqual(PassageScoring.score(passage: 0.8, bestSentence: nil), 0.8, "no sentence vectors: the passage's own cosine")
        XCTAssertEqual(PassageScoring.score(passage: 0.8, bestSentence: 0.9, sentenceWeight: 0), 0.8)
        let sentences = [SentenceVector(start: 0, end: 1, vector: [1, 0]), SentenceVector(start: 1, end: 2, vector: [0.6, 0.8])]
        XCTAssertEqual(try XCTUnwrap(PassageScoring.bestSentence(sentences, query: [0, 1])), 0.8, accuracy: 1e-6)
        XCTAssertNil(PassageScoring.bestSentence([], query: [1, 0]))
    }

    /// Passage A is further from the query than B as a whole but has one sentence that matches it exactly:
    /// with sentence scoring A ranks first, with passages alone B does.
    func testAPassageWhoseSentenceAnswersOutranksOneVaguelyAboutTheQuery() throws {
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let embedder = FixedQueryEmbedder(query: [0, 1, 0])
        func add(_ name: String, passage: [Float], sentence: [Float]) throws {
            let text = "一二三四五六七八九十。"
            try store.replaceDocument(
                NewDocument(path: name, absolutePath: "/docs/" + name, sha256: name, size: 1, mtime: 1, title: name,
                            format: "txt", encoding: "utf-8", chunking: "c"),
                chunks: [NewChunk(text: text, start: 0, end: 11, headingPath: [], tokenCount: 10)],
                vectors: DocumentVectors(modelID: embedder.modelID, chunks: [
                    ChunkVectors(passage: passage, sentences: [SentenceVector(start: 0, end: 11, vector: sentence)])]))
        }
        try add("a.txt", passage: [0.8, 0.6, 0], sentence: [0, 1, 0])
        try add("b.txt", passage: [0.714, 0.7, 0], sentence: [0.714, 0.7, 0])
        let blended = try Retriever(store: store, embedder: embedder).search("问", mode: .dense, k: 2)
        XCTAssertEqual(blended.map(\.chunk.documentPath), ["a.txt", "b.txt"])
        XCTAssertEqual(blended[0].score, 0.8, accuracy: 1e-6)
        let passagesOnly = try Retriever(store: store, embedder: embedder, sentenceWeight: 0).search("问", mode: .dense, k: 2)
        XCTAssertEqual(passagesOnly.map(\.chunk.documentPath), ["b.txt", "a.txt"])
    }
}

/// Every query embeds to one fixed vector; for tests that write the stored vectors by hand.
final class FixedQueryEmbedder: TextEmbedder {
    let modelID = "test-fixed-query"
    let query: [Float]
    var dimension: Int { query.count }
    init(query: [Float]) { self.query = query }
    func embedPassages(_ texts: [String]) throws -> [[Float]] { texts.map { _ in query } }
    func embedQuery(_ text: String) throws -> [Float] { query }
}
