import Foundation
@testable import Retrieval
@testable import Store
import XCTest

/// Inputs from issue 9's reliability campaign that used to take quadratic time, lose data or pass as
/// questions: each test failed on the code before its fix.
final class HostileInputTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder() }

    /// Counts how many scalars the chunker hands to its counter: the work of tokenising.
    final class MeteredCounter: TokenCounter {
        var scalarsCounted = 0
        func tokenCount(_ text: String) -> Int {
            scalarsCounted += text.unicodeScalars.count
            return CharacterCounter().tokenCount(text)
        }
    }

    func testALineWithNoSentenceEndIsCutInLinearWork() throws {
        for length in [32_000, 128_000] {
            let line = String(repeating: "预训练模型学习数据, ", count: length / 11)
            let counter = MeteredCounter()
            let chunker = Chunker(parameters: try ChunkingParameters(size: 400, overlap: 60), counter: counter)
            let chunks = chunker.chunks(of: CleanDocument(blocks: [.paragraph(line)], title: "t", fallbackTitle: "t"))
            XCTAssertTrue(chunks.allSatisfy { $0.tokenCount <= 400 })
            XCTAssertEqual(chunks.map(\.text).joined().filter { !$0.isWhitespace }.count, line.filter { !$0.isWhitespace }.count,
                           "every character is in exactly one piece")
            // Each piece is counted a few times at about its own length (doubling, then bisecting): ~12 passes
            // over the text, whatever its length. The old bisection over the whole remainder did ~length/40.
            XCTAssertLessThan(counter.scalarsCounted, 30 * line.unicodeScalars.count, "\(length) scalars")
        }
    }

    func testAPassageOfManyShortLinesKeepsABoundedNumberOfSentences() {
        let code = (0..<200).map { "let value\($0) = compute(\($0))" }.joined(separator: "\n")
        let sentences = PassageSentences.quotableSentences(of: code)
        XCTAssertEqual(sentences.count, PassageSentences.maximumPerPassage)
        XCTAssertEqual(sentences.map(\.range.lowerBound), sentences.map(\.range.lowerBound).sorted(), "kept in document order")
        XCTAssertEqual(sentences.first?.text, "let value100 = compute(100)", "the longest lines are kept, the first of equals")
        XCTAssertFalse(sentences.contains { $0.text == "let value99 = compute(99)" })
    }

    func testEachDistinctTextIsEmbeddedOnce() throws {
        // A one-sentence passage is also its own only sentence; a repeated line is the same text twice.
        let chunks = ["第一篇只有一句话，它就是整个段落。", "重复的一行文字在这里。\n重复的一行文字在这里。\n另一行不同的文字。"].map {
            NewChunk(text: $0, start: 0, end: $0.unicodeScalars.count, headingPath: [], tokenCount: 10)
        }
        let embedder = HashedBigramEmbedder()
        let vectors = try Ingestor.embed(chunks, with: embedder)
        XCTAssertEqual(embedder.passagesEmbedded, 4, "2 passages + 2 distinct sentences, not 2 + 4")
        XCTAssertEqual(vectors.chunks[0].sentences.map(\.vector), [vectors.chunks[0].passage])
        XCTAssertEqual(vectors.chunks[1].sentences.count, 3)
        XCTAssertEqual(vectors.chunks[1].sentences[0].vector, vectors.chunks[1].sentences[1].vector)
        XCTAssertEqual(vectors.chunks[1].sentences[2].vector, embedder.vector("另一行不同的文字。"))
    }

    func testAFileThatBecameUnreadableKeepsItsIndexedVersion() throws {
        try folder.write("docs/a.txt", "预训练在海量文本上学习。")
        try folder.write("docs/b.txt", "微调在问答对上继续训练。")
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let ingestor = Ingestor(store: store, chunker: Chunker(parameters: try ChunkingParameters(), counter: CharacterCounter()), embedder: nil)
        _ = try ingestor.ingest(["docs"], workingDirectory: folder.url)
        try folder.write("docs/a.txt", Data([0, 1, 2, 3]))
        try folder.write("docs/b.txt", Data())
        let summary = try ingestor.ingest(["docs"], workingDirectory: folder.url)
        XCTAssertEqual(summary.changed, 0)
        XCTAssertEqual(summary.skipped.map(\.path), ["docs/a.txt", "docs/b.txt"])
        XCTAssertTrue(summary.skipped.allSatisfy { $0.reason.hasSuffix("the version ingested before stays in the index") }, "\(summary.skipped)")
        XCTAssertEqual(try store.allDocuments().count, 2, "nothing stored is lost")
        XCTAssertEqual(try store.lexicalSearch("海量文本", limit: 1).count, 1)
    }

    func testFilesOverTheSizeLimitAreSkippedUnread() throws {
        try folder.write("docs/big.txt", String(repeating: "预训练。", count: 100))
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let ingestor = Ingestor(store: store, chunker: Chunker(parameters: try ChunkingParameters(), counter: CharacterCounter()),
                                embedder: nil, maxFileBytes: 100)
        let summary = try ingestor.ingest(["docs"], workingDirectory: folder.url)
        XCTAssertEqual(summary.skipped.first?.reason, "1.2 kB, over the 100 B limit for one file (--max-file-size raises it)")
    }

    func testLinkedFilesAreIngestedOnceWhateverTheRouteAndLinkedFoldersAreNotEntered() throws {
        try folder.write("other/real.txt", "链接指向的文件讲微调。")
        try folder.write("docs/own.txt", "自己的文件讲预训练。")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/link.txt").path, withDestinationPath: "../other/real.txt")
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/again.txt").path, withDestinationPath: "../other/real.txt")
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/folder").path, withDestinationPath: "../other")
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/gone.md").path, withDestinationPath: "../nowhere.md")
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/loop-a.txt").path, withDestinationPath: "loop-b.txt")
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent("docs/loop-b.txt").path, withDestinationPath: "loop-a.txt")
        let (files, skipped) = try SourceFiles.collect(["docs", "other"], workingDirectory: folder.url)
        XCTAssertEqual(files.map(\.displayPath), ["docs/again.txt", "docs/own.txt"], "one document per real file")
        XCTAssertEqual(files.first?.absolutePath, folder.url.appendingPathComponent("other/real.txt").resolvingSymlinksInPath().path)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: skipped.map { ($0.path, $0.reason) }), [
            "docs/folder": "a link to a folder (not followed: pass the folder itself)",
            "docs/gone.md": "a broken symbolic link",
            "docs/loop-a.txt": "a loop of symbolic links",
            "docs/loop-b.txt": "a loop of symbolic links",
        ])
    }

    func testDevicesAndEmptyPathsGetReasonsNotFoundationErrors() throws {
        let (files, skipped) = try SourceFiles.collect(["/dev/null"], workingDirectory: folder.url)
        XCTAssertEqual(files, [])
        XCTAssertEqual(skipped, [SkippedFile(path: "/dev/null", reason: "a device, not a regular file")])
        XCTAssertThrowsError(try SourceFiles.collect([""], workingDirectory: folder.url)) { error in
            XCTAssertEqual((error as? IngestError)?.description, "cannot read : the path is empty")
        }
        XCTAssertThrowsError(try FileBytes.read("/proc/self/mem", limit: 1 << 20)) { error in
            XCTAssertEqual(error as? FileBytes.Failure, .unreadable("Input/output error"))
        }
    }

    func testQueriesWithoutWordsOrTooLongAreRefusedBeforeAnyModelRuns() {
        for query in ["\u{1}\u{2}\u{3}", "???", "\u{FFFD}\u{FFFD}", "—— ！"] {
            XCTAssertThrowsError(try Retriever.check(query: query), query) { error in
                XCTAssertEqual(error as? RetrievalError, .noSearchableTerms)
            }
        }
        XCTAssertThrowsError(try Retriever.check(query: String(repeating: "预训练", count: 1000))) { error in
            XCTAssertEqual(error as? RetrievalError, .queryTooLong(length: 3000, limit: Retriever.maximumQueryLength))
        }
        XCTAssertNoThrow(try Retriever.check(query: "什么是预训练"))
        XCTAssertNoThrow(try Retriever.check(query: "qwertyuiop"))
    }

    func testCoverageNeedsASharedTermUnlessTurnedOff() {
        let thresholds = CoverageThresholds(chinese: 0.88, english: 0.80)
        XCTAssertTrue(thresholds.covers(similarity: 0.9, language: .english, sharesTerm: true))
        XCTAssertFalse(thresholds.covers(similarity: 0.9, language: .english, sharesTerm: false), "qwertyuiop scores 0.83")
        XCTAssertFalse(thresholds.covers(similarity: 0.79, language: .english, sharesTerm: true))
        XCTAssertTrue(CoverageThresholds(uniform: -1, requiresSharedTerm: false).covers(similarity: -0.5, language: .chinese, sharesTerm: false))
    }
}
