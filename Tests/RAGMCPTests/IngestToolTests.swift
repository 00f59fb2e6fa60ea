import Foundation
import Kernels
import MCP
import RAGKit
@testable import RAGMCP
import XCTest

/// The ingest tool writes only what `--allow-ingest` allows, into an index the server then reads.
final class IngestToolTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        try Repository.skipUnlessModels()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-mcp-ingest-\(UUID().uuidString)")
        for sub in ["allowed/notes", "outside"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try "# 微调\n\n监督微调用人工写的问答对继续训练模型。".write(to: folder.appendingPathComponent("allowed/notes/sft.md"), atomically: true, encoding: .utf8)
        try "# 秘密\n\n这份文件在允许的文件夹之外。".write(to: folder.appendingPathComponent("outside/secret.md"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { if let folder { try? FileManager.default.removeItem(at: folder) } }

    func testIngestReadsOnlyInsideTheAllowedFoldersAndTheServerSeesWhatItAdded() async throws {
        let index = folder.appendingPathComponent("index.sqlite").path
        let connection = try await Connection.open(DocumentServer.Options(
            indexPath: index, parallelism: Parallelism(threads: 2), ingestFolders: try IngestFolders(["allowed"], workingDirectory: folder.path),
            workingDirectory: folder.path))
        defer { Task { await connection.close() } }

        var line = try await connection.failure("list_documents")
        XCTAssertTrue(line.hasPrefix("no index at"), "no index until the first ingest: \(line)")
        line = try await connection.failure("ingest", ["paths": ["outside/secret.md"]])
        XCTAssertTrue(line.hasPrefix("ingest: outside/secret.md ("), line)
        XCTAssertTrue(line.hasSuffix("is outside the folders this server may ingest from: \(try IngestFolders(["allowed"], workingDirectory: folder.path).roots[0])"), line)
        line = try await connection.failure("ingest", ["paths": ["allowed/../outside"]])
        XCTAssertTrue(line.contains("is outside the folders"), "`..` is resolved: \(line)")
        line = try await connection.failure("ingest", ["paths": ["allowed/missing.md"]])
        XCTAssertEqual(line, "ingest: allowed/missing.md: no such file or folder")
        line = try await connection.failure("ingest", ["paths": []])
        XCTAssertEqual(line, "ingest: \"paths\" is empty")
        XCTAssertFalse(FileManager.default.fileExists(atPath: index), "nothing was written")

        // A link inside the allowed folder to a file outside it: the folder expands to that file, refused.
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("allowed/notes/link.md"),
                                                   withDestinationURL: folder.appendingPathComponent("outside/secret.md"))
        line = try await connection.failure("ingest", ["paths": ["allowed"]])
        XCTAssertTrue(line.hasPrefix("ingest: allowed/notes/link.md ("), line)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("allowed/notes/link.md"))

        let log = ProgressLog()
        await connection.client.onNotification(ProgressNotification.self) { log.add($0.params) }
        let result = try await connection.call("ingest", ["paths": ["allowed"]], meta: Metadata(progressToken: .integer(7)))
        XCTAssertNotEqual(result.isError, true, Connection.text(of: result))
        let report = try Connection.json(XCTUnwrap(result.structuredContent))
        XCTAssertEqual(report["added"] as? Int, 1)
        XCTAssertEqual(report["index"] as? String, index)
        XCTAssertEqual(log.all.map(\.message), ["1 of 1: allowed/notes/sft.md"])

        let (listed, _) = try await connection.structured("list_documents")
        XCTAssertEqual((listed["documents"] as? [[String: Any]])?.map { $0["path"] as? String }, ["allowed/notes/sft.md"])
        let (found, _) = try await connection.structured("search_documents", ["query": "监督微调"])
        XCTAssertEqual((found["hits"] as? [[String: Any]])?.first?["source"] as? String, "allowed/notes/sft.md")
        let (again, _) = try await connection.structured("ingest", ["paths": .array([.string(folder.appendingPathComponent("allowed").path)])])
        XCTAssertEqual(again["unchanged"] as? Int, 1, "an absolute path inside the folder is allowed too")
    }
}
