import Foundation
import Kernels
import ModelFiles
@testable import rag
import RAGKit
import Retrieval
import Store
import XCTest

/// `rag ask` on the real corpus with the real models, through the command line. Skipped (with the reason)
/// when a model file or its wiring is missing. Run in release: `swift test -c release -Xswiftc -enable-testing --filter AskEndToEnd`.
final class AskEndToEndTests: XCTestCase {
    /// One index of Corpus/ for all tests here (embedding the corpus is the slow part).
    static var index: String?
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-ask-e2e-\(UUID().uuidString)")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override class func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `rag arguments` in-process from the repository root (so sources read "Corpus/…"), returning stdout.
    func rag(_ arguments: [String]) throws -> String {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.repositoryRoot.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        var command = try RAGCommand.parseAsRoot(arguments)
        let capture = Self.folder.appendingPathComponent("stdout-\(UUID().uuidString)").path
        fflush(stdout)
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let saved = dup(STDOUT_FILENO)
        dup2(fd, STDOUT_FILENO)
        var thrown: Error?
        do { try command.run() } catch { thrown = error }
        fflush(stdout)
        dup2(saved, STDOUT_FILENO)
        close(saved); close(fd)
        if let thrown { throw thrown }
        return try String(contentsOfFile: capture, encoding: .utf8)
    }

    func corpusIndex() throws -> String {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .encoder).path),
                          "the encoder model is not in \(ModelDirectory.default.url(for: .encoder).path): run scripts/fetch-models")
        if let index = Self.index { return index }
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let index = Self.folder.appendingPathComponent("corpus.sqlite").path
        _ = try rag(["ingest", "Corpus", "--index", index, "--quiet"])
        Self.index = index
        return index
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testRetrievalFindsThePretrainingPassage() throws {
        let index = try corpusIndex()
        let report = try json(rag(["ask", "什么是预训练", "--mode", "retrieve", "--index", index, "--json"]))
        XCTAssertEqual(report["covered"] as? Bool, true)
        let retrieval = try XCTUnwrap(report["retrieval"] as? [String: Any])
        let top = try XCTUnwrap((retrieval["hits"] as? [[String: Any]])?.first)
        XCTAssertEqual(top["source"] as? String, "Corpus/09-pretraining.md")
        let quotes = try XCTUnwrap(retrieval["quotes"] as? [[String: Any]])
        XCTAssertFalse(quotes.isEmpty)
        XCTAssertTrue(report["generation"] is NSNull)
    }

    /// Issue 3's check of meaning over wording: "怎么让模型更听话" shares no content word with the RLHF document,
    /// yet its passage must rank in the top 3 by dense and by hybrid search.
    func testParaphrasedQuestionFindsTheRLHFPassage() throws {
        let index = try corpusIndex()
        for mode in ["dense", "hybrid"] {
            let report = try json(rag(["search", "怎么让模型更听话", "--mode", mode, "-k", "3", "--index", index, "--json"]))
            let sources = try XCTUnwrap(report["hits"] as? [[String: Any]]).compactMap { $0["source"] as? String }
            XCTAssertTrue(sources.contains("Corpus/11-rlhf.md"), "\(mode): \(sources)")
        }
    }

    /// `rag chat` from a pipe: the follow-up says only "它", so the passages it needs come from the previous
    /// turn; each answer is one JSON line with its turn, and a malformed line is reported without ending the chat.
    func testChatSearchesAFollowUpWithThePreviousTurn() throws {
        let index = try corpusIndex()
        try RagProcess.skipUnlessBuilt()
        let input = """
            {"question": "模型最开始读海量网页的那个训练阶段叫什么？"}
            not json
            {"question": "它大概要耗费多少算力和时间？"}
            {"question": "它大概要耗费多少算力和时间？", "new": true}

            """
        let run = try RagProcess.run(["chat", "--mode", "retrieve", "--json", "-k", "3", "--index", index], directory: Self.repositoryRoot, input: input)
        XCTAssertEqual(run.status, 1, "one line was not a question: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, run.stdout)
        let reports = try lines.map(json)
        XCTAssertEqual(reports.map { $0["turn"] as? Int }, [1, 2, 2, 1])
        XCTAssertNotNil(reports[1]["error"] as? String)
        func sources(_ report: [String: Any]) -> [String] {
            ((report["retrieval"] as? [String: Any])?["hits"] as? [[String: Any]] ?? []).compactMap { $0["source"] as? String }
        }
        XCTAssertEqual(sources(reports[0]).first, "Corpus/09-pretraining.md")
        XCTAssertEqual(sources(reports[2]).first, "Corpus/09-pretraining.md", "the follow-up is searched with the first question")
        XCTAssertEqual(reports[2]["question"] as? String, "它大概要耗费多少算力和时间？")
    }

    /// The 8-bit scan keeps exact search's results on real e5 vectors, where cosines crowd together: every
    /// passage and sentence vector of the corpus as one matrix, searched with every eval question (both sets),
    /// the approximate top 20 ranked again by exact scores is the exact top 10; and no approximate score is
    /// further from the exact one than its bound.
    func testTheQuantisedScanFindsTheExactNeighboursOfRealQuestions() throws {
        let index = try corpusIndex()
        let store = try PassageStore.open(at: index, create: false, access: .read)
        let embedder = try ModelWiring.embedder(threads: 2)
        let ids = try store.vectorMatrix(model: embedder.modelID).chunkIDs
        let passages = try store.passageVectors(chunkIDs: ids, model: embedder.modelID)
        let sentences = try store.sentenceVectors(chunkIDs: ids)
        var exact: [Float] = []
        for id in ids {
            exact += try XCTUnwrap(passages[id])
            for sentence in sentences[id] ?? [] { exact += sentence.vector }
        }
        let dimension = embedder.dimension, rows = exact.count / dimension, k = 10
        XCTAssertGreaterThan(rows, 400)
        let quantised = QuantisedRows(rows: exact, dimension: dimension)
        let questions = try ["eval/corpus-eval.jsonl", "eval/corpus-eval-heldout.jsonl"].flatMap {
            try EvalSet.load(path: Self.repositoryRoot.appendingPathComponent($0).path)
        }
        var largestError: Float = 0
        try exact.withUnsafeBufferPointer { all in
            func score(_ query: [Float], _ row: Int) -> Float { VectorMath.dot(query, all.baseAddress! + row * dimension, count: dimension) }
            for question in questions {
                let query = try embedder.embedQuery(question.question)
                let want = (0..<rows).map { NearestNeighbours.ScoredRow(row: $0, score: score(query, $0)) }.sorted { $0.ranksBefore($1) }
                let candidates = quantised.topK(query: query, k: k * Retriever.rescoringFactor, parallelism: Parallelism(threads: 2))
                let got = NearestNeighbours.rescored(candidates, k: k) { score(query, $0) }
                XCTAssertEqual(got.map(\.row), want.prefix(k).map(\.row), question.question)
                let l1 = query.reduce(0) { $0 + abs($1) }
                for candidate in candidates {
                    let error = abs(candidate.score - score(query, candidate.row))
                    XCTAssertLessThanOrEqual(error, quantised.errorBound(row: candidate.row, queryL1: l1) + 1e-5)
                    largestError = max(largestError, error)
                }
            }
        }
        XCTAssertGreaterThan(questions.count, 130)
        print("quantised scan on \(rows) real vectors, \(questions.count) questions: largest score error \(largestError)")
    }

    func testQuestionOutsideTheCorpusIsNotCovered() throws {
        let index = try corpusIndex()
        let report = try json(rag(["ask", "量子计算机的工作原理是什么", "--index", index, "--json"]))
        XCTAssertEqual(report["covered"] as? Bool, false, "best similarity \(report["best_similarity"] ?? "?")")
        XCTAssertEqual(report["message"] as? String, "文档中没有涉及这个问题的内容，因此不作回答。")
        XCTAssertTrue(report["generation"] is NSNull)
    }

    /// The model's own "[n]" or, when it leaves them out, the ones attributed from grounding (marked "by").
    func testGenerativeAnswerIsChineseAndCites() throws {
        let index = try corpusIndex()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .decoder).path),
                          "the decoder model is not in \(ModelDirectory.default.url(for: .decoder).path): run scripts/fetch-models")
        let report = try json(rag(["ask", "什么是预训练", "--mode", "generate", "--max-tokens", "64", "--index", index, "--json"]))
        let generation = try XCTUnwrap(report["generation"] as? [String: Any])
        let answer = try XCTUnwrap(generation["answer"] as? String)
        XCTAssertTrue(answer.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "Chinese answer: \(answer)")
        let citations = try XCTUnwrap(generation["citations"] as? [[String: Any]])
        XCTAssertFalse(citations.isEmpty, "cites [n]: \(answer)")
        XCTAssertTrue((generation["cited_answer"] as? String)?.contains("[") ?? false)
        XCTAssertTrue(citations.contains { $0["source"] as? String == "Corpus/09-pretraining.md" }, "\(citations)")
    }
}
