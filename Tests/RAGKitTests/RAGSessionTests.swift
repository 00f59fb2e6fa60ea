import Foundation
import ModelFiles
@testable import RAGKit
import Retrieval
import XCTest

/// The session every front-end shares, with the real encoder: it must see what ingests do while it is open.
final class RAGSessionTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .encoder).path), "the encoder is not fetched")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try write("docs/pre.md", "# 预训练\n\n预训练让模型在海量文本上学习预测下一个词元。")
    }

    override func tearDownWithError() throws { if let folder { try? FileManager.default.removeItem(at: folder) } }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func ingest(_ paths: [String], rebuild: Bool = false) throws -> IngestSummary {
        var job = IngestJob(paths: paths, indexPath: folder.appendingPathComponent("index.sqlite").path, threads: 2)
        job.rebuild = rebuild
        job.workingDirectory = folder
        return try job.run()
    }

    func testASessionSeesDocumentsAddedAndRebuiltWhileItIsOpen() throws {
        _ = try ingest(["docs"])
        let session = try RAGSession(indexPath: folder.appendingPathComponent("index.sqlite").path)
        XCTAssertEqual(try session.search("奖励模型", mode: .dense, k: 5).hits.map(\.chunk.documentPath), ["docs/pre.md"])

        try write("docs/rlhf.md", "# RLHF\n\n奖励模型学习人类的偏好，再用强化学习调整模型。")
        XCTAssertEqual(try ingest(["docs"]).added, 1)
        let after = try session.search("奖励模型", mode: .dense, k: 5)
        XCTAssertEqual(after.hits.first?.chunk.documentPath, "docs/rlhf.md", "the vector matrix was reloaded")
        XCTAssertEqual(try session.search("奖励模型", mode: .lexical, k: 5).hits.first?.chunk.documentPath, "docs/rlhf.md")

        try FileManager.default.createDirectory(at: folder.appendingPathComponent("other"), withIntermediateDirectories: true)
        try write("other/sft.md", "# 微调\n\n监督微调用人工写的问答对继续训练。")
        _ = try ingest(["other"], rebuild: true)
        XCTAssertEqual(try session.search("微调", mode: .hybrid, k: 5).hits.map(\.chunk.documentPath), ["other/sft.md"],
                       "a rebuild renamed a new file into place; the session reads that one")
    }

    func testANonsenseQuestionIsNotCoveredAndLoadsNoGenerator() throws {
        _ = try ingest(["docs"])
        let session = try RAGSession(indexPath: folder.appendingPathComponent("index.sqlite").path)
        var settings = AskSettings()
        settings.mode = .compare
        var loaded = false
        // Without cross-language search: an English question over this Chinese index would load the decoder to
        // translate it (the test below).
        let answer = try session.answerer(crossLanguage: .off, onLoadingGenerator: { loaded = true }).answer("qwertyuiop", settings: settings)
        XCTAssertFalse(answer.covered)
        XCTAssertNil(answer.generation)
        XCTAssertFalse(loaded)
    }

    /// With the real decoder: an English question over a Chinese index is searched by its Chinese translation.
    func testAnEnglishQuestionSearchesAChineseIndexByTheDecodersTranslation() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .decoder).path), "the decoder is not fetched")
        try write("docs/sft.md", "# 监督微调\n\n监督微调用人工写好的指令和回答继续训练模型。")
        _ = try ingest(["docs"])
        let session = try RAGSession(indexPath: folder.appendingPathComponent("index.sqlite").path)
        var settings = AskSettings()
        settings.mode = .retrieve
        let answer = try session.answer("What does the model predict during pre-training?", settings: settings)
        let searchedAs = try XCTUnwrap(answer.retrieval.searchedAs)
        XCTAssertEqual(QuestionLanguage(of: searchedAs), .chinese, searchedAs)
        XCTAssertTrue(searchedAs.contains("预训练"), searchedAs)
        XCTAssertEqual(answer.retrieval.hits.first?.chunk.documentPath, "docs/pre.md")

        let found = try session.search("What does the model predict during pre-training?", k: 2, crossLanguage: .translate)
        XCTAssertEqual(found.searchedAs, searchedAs, "search translates as ask does")
        XCTAssertEqual(found.hits.first?.chunk.documentPath, "docs/pre.md")
        XCTAssertNil(try session.search("What does the model predict during pre-training?", k: 2).searchedAs, "off unless asked for")
    }
}
