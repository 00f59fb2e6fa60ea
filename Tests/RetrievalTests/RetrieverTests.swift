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

    func testReciprocalRankFusionRewardsAgreement() {
        let fused = Retriever.fuse([[(1, 0.9), (2, 0.8), (3, 0.1)], [(2, 12), (3, 11), (4, 1)]])
        XCTAssertEqual(fused.map(\.chunkID), [2, 3, 1, 4])
        XCTAssertEqual(fused[0].score, 1 / 62.0 + 1 / 61.0, accuracy: 1e-12)
    }
}
