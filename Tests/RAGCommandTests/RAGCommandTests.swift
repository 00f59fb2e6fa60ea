import ArgumentParser
import Foundation
@testable import rag
import XCTest

/// Runs the real command-line code path (argument parsing, subcommands, stores, output) on temporary folders.
final class RAGCommandTests: XCTestCase {
    var folder: URL!
    var index: String { folder.appendingPathComponent("idx/test.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-cli-\(UUID().uuidString)")
        let docs = folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try "# 预训练\n\n预训练让模型在海量文本上学习预测下一个词元。".write(to: docs.appendingPathComponent("pre.md"), atomically: true, encoding: .utf8)
        try "监督微调用人工写的问答对继续训练。".write(to: docs.appendingPathComponent("sft.txt"), atomically: true, encoding: .utf8)
        try "<h1>RLHF</h1><p>奖励模型&amp;人类偏好。</p>".write(to: docs.appendingPathComponent("rlhf.html"), atomically: true, encoding: .utf8)
        try Data([0, 1, 2]).write(to: docs.appendingPathComponent("broken.txt"))
        let models = ProcessInfo.processInfo.environment["RAG_MODELS"] ?? NSHomeDirectory() + "/.cache/rag/models"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: models + "/e5-small-q4.bin"),
                          "ingest embeds with the e5 encoder, which is not fetched (scripts/fetch-models encoder)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Parses and runs `arguments` in-process, returning what it printed on stdout.
    func rag(_ arguments: [String]) throws -> String {
        var command = try RAGCommand.parseAsRoot(arguments)
        return try capturingStandardOutput { try command.run() }
    }

    func capturingStandardOutput(_ body: () throws -> Void) throws -> String {
        let capture = folder.appendingPathComponent("stdout-\(UUID().uuidString)").path
        fflush(stdout)
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let saved = dup(STDOUT_FILENO)
        dup2(fd, STDOUT_FILENO)
        var thrown: Error?
        do { try body() } catch { thrown = error }
        fflush(stdout)
        dup2(saved, STDOUT_FILENO)
        close(saved); close(fd)
        if let thrown { throw thrown }
        return try String(contentsOfFile: capture, encoding: .utf8)
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testIngestSearchStatsListThroughTheCommandLine() throws {
        let docs = folder.appendingPathComponent("docs").path
        let first = try json(rag(["ingest", docs, "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(first["added"] as? Int, 3)
        XCTAssertEqual((first["skipped"] as? [[String: Any]])?.first?["reason"] as? String,
                       "binary file (contains NUL bytes or control characters)")
        let again = try json(rag(["ingest", docs, "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(again["changed"] as? Int, 0)
        XCTAssertEqual(again["unchanged"] as? Int, 3)

        let search = try json(rag(["search", "预训练", "--mode", "lexical", "-k", "2", "--index", index, "--json"]))
        XCTAssertEqual(search["query"] as? String, "预训练")
        XCTAssertEqual(search["mode"] as? String, "lexical")
        let hits = try XCTUnwrap(search["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.first?["rank"] as? Int, 1)
        XCTAssertEqual(hits.first?["chunk"] as? Int, 0)
        XCTAssertTrue((hits.first?["source"] as? String)?.hasSuffix("docs/pre.md") == true)
        XCTAssertTrue((hits.first?["text"] as? String)?.contains("预训练让模型") == true)
        XCTAssertNotNil(hits.first?["score"] as? Double)

        let defaultMode = try json(rag(["search", "奖励", "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(defaultMode["mode"] as? String, "hybrid", "the index has vectors: the default is hybrid")
        let dense = try json(rag(["search", "人类偏好", "--mode", "dense", "-k", "1", "--index", index, "--json"]))
        XCTAssertTrue(((dense["hits"] as? [[String: Any]])?.first?["source"] as? String)?.hasSuffix("rlhf.html") == true)

        let stats = try json(rag(["stats", "--index", index, "--json"]))
        XCTAssertEqual(stats["documents"] as? Int, 3)
        XCTAssertEqual(stats["schema_version"] as? String, "3")
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rag(["list", "--index", index, "--json"]).utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 3)
        XCTAssertTrue(try rag(["search", "监督微调", "--index", index, "--mode", "lexical"]).contains("sft.txt"))
    }

    func testRebuildAndPrune() throws {
        let docs = folder.appendingPathComponent("docs")
        _ = try rag(["ingest", docs.path, "--index", index, "--quiet"])
        try FileManager.default.removeItem(at: docs.appendingPathComponent("sft.txt"))
        let pruned = try json(rag(["ingest", docs.path, "--prune", "--index", index, "--json", "--quiet"]))
        XCTAssertEqual((pruned["pruned"] as? [String])?.count, 1)
        let rebuilt = try json(rag(["ingest", docs.path, "--rebuild", "--chunk-size", "100", "--overlap", "10", "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(rebuilt["added"] as? Int, 2)
        XCTAssertEqual(try json(rag(["stats", "--index", index, "--json"]))["chunking"] as? String,
                       "tokens:multilingual-e5-small-q4_0@1571fc982750 size=100 overlap=10")
        let rerun = try json(rag(["ingest", docs.path, "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(rerun["unchanged"] as? Int, 2, "a plain rerun keeps the index's chunk size")
    }

    func testErrorsAreOneLineMessages() throws {
        let missing = folder.appendingPathComponent("none.sqlite").path
        for arguments in [["search", "x", "--index", missing], ["stats", "--index", missing], ["list", "--index", missing]] {
            XCTAssertThrowsError(try rag(arguments)) { error in
                let message = RAGCommand.message(for: error)
                XCTAssertEqual(message, "no index at \(missing): run `rag ingest PATH...` first (or pass --index)")
                XCTAssertNotEqual(RAGCommand.exitCode(for: error), .success)
            }
        }
        _ = try rag(["ingest", folder.appendingPathComponent("docs").path, "--index", index, "--quiet"])
        let models = ProcessInfo.processInfo.environment["RAG_MODELS"]
        setenv("RAG_MODELS", folder.appendingPathComponent("no-models").path, 1)
        XCTAssertThrowsError(try rag(["search", "预训练", "--mode", "dense", "--index", index])) { error in
            XCTAssertTrue(RAGCommand.message(for: error).hasSuffix("run scripts/fetch-models encoder"), RAGCommand.message(for: error))
        }
        if let models { setenv("RAG_MODELS", models, 1) } else { unsetenv("RAG_MODELS") }
        XCTAssertThrowsError(try rag(["ingest", folder.appendingPathComponent("nope").path, "--index", index])) { error in
            XCTAssertTrue(RAGCommand.message(for: error).hasPrefix("cannot read "))
        }
        XCTAssertThrowsError(try rag(["ingest", "x", "--chunk-size", "50", "--overlap", "60", "--index", index])) { error in
            XCTAssertTrue(RAGCommand.message(for: error).contains("--overlap 60 must be"))
        }
        XCTAssertThrowsError(try rag(["search", "x", "--mode", "fuzzy", "--index", index]))
        for message in [RAGCommand.message(for: StoreError.locked(path: "i")), RAGCommand.message(for: StoreError.newerSchema(path: "i"))] {
            XCTAssertFalse(message.contains("\n"))
        }
    }

    func testIndexPathComesFromTheEnvironmentWhenNotGiven() throws {
        setenv("RAG_INDEX", index, 1)
        defer { unsetenv("RAG_INDEX") }
        XCTAssertEqual(try IndexOptions.parse([]).path, index)
        XCTAssertEqual(try IndexOptions.parse(["--index", "other.sqlite"]).path, "other.sqlite")
        unsetenv("RAG_INDEX")
        XCTAssertEqual(try IndexOptions.parse([]).path, "Indexes/default.sqlite")
    }
}

import Store
