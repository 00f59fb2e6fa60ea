@testable import Retrieval
@testable import Store
import XCTest

final class RerankingTests: XCTestCase {
    func hit(_ rank: Int, _ path: String) -> SearchHit {
        SearchHit(rank: rank, score: 1 / Double(rank), chunk: storedChunk("passage \(rank)", source: path, ordinal: rank),
                  explanation: RankExplanation(mode: .hybrid))
    }

    /// Each document's best passage first, in the search's order; the rest after, in the same order; every hit
    /// renumbered and remembering its rank before.
    func testDocumentsFirstKeepsTheSearchOrderWithinEachGroup() {
        let hits = [hit(1, "a.md"), hit(2, "a.md"), hit(3, "b.md"), hit(4, "a.md"), hit(5, "c.md"), hit(6, "b.md")]
        let reranked = Reranking.default.rerank(hits)
        XCTAssertEqual(reranked.map(\.chunk.documentPath), ["a.md", "b.md", "c.md", "a.md", "a.md", "b.md"])
        XCTAssertEqual(reranked.map(\.explanation.searchRank), [1, 3, 5, 2, 4, 6])
        XCTAssertEqual(reranked.map(\.rank), Array(1...6))
        XCTAssertTrue(reranked[1].explanation.summary.contains("search rank #3"), reranked[1].explanation.summary)
        XCTAssertEqual(Reranking.none.rerank(hits), hits, "off: the search's own ranking")
    }

    /// Through a real index: a page with two matching passages no longer fills the top two when another page
    /// matches too, and the top k is taken after the rerank, from deeper candidates.
    func testSearchesRerankTheirCandidatesBeforeTheTopK() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.md", "# 预训练\n\n预训练预训练预训练，预训练。\n\n# 预训练的数据\n\n预训练预训练预训练。")
        try folder.write("b.md", "# 其他\n\n这里只提到一次预训练。")
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let chunker = Chunker(parameters: try ChunkingParameters(), counter: CharacterCounter())
        _ = try Ingestor(store: store, chunker: chunker, embedder: nil).ingest(["."], workingDirectory: folder.url)

        let plain = try Retriever(store: store, embedder: nil, reranking: .none).search("预训练", mode: .lexical, k: 2)
        XCTAssertEqual(plain.map(\.chunk.documentPath), ["a.md", "a.md"], "the fixture: a.md's two passages rank first by words")
        let reranked = try Retriever(store: store, embedder: nil).search("预训练", mode: .lexical, k: 2)
        XCTAssertEqual(reranked.map(\.chunk.documentPath), ["a.md", "b.md"])
        XCTAssertEqual(reranked.map(\.explanation.searchRank), [1, 3])
    }
}
