import Foundation
import Kernels
import MCP
import RAGKit
@testable import RAGMCP
import Retrieval
import XCTest

/// `rag mcp`'s tools and resources on the real corpus and models, through the SDK's own client. Run in
/// release: `swift test -c release -Xswiftc -enable-testing --filter RAGMCPTests`.
final class DocumentServerTests: XCTestCase {
    func connect(index: String? = nil, ingest: [String] = []) async throws -> Connection {
        try await Connection.open(DocumentServer.Options(
            indexPath: try index ?? CorpusIndex.path(), parallelism: Parallelism(threads: 2),
            ingestFolders: try IngestFolders(ingest), workingDirectory: Repository.root.path))
    }

    func testToolsHaveSchemasAndIngestIsOfferedOnlyWhenAllowed() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let tools = try await connection.client.listTools().tools
        XCTAssertEqual(tools.map(\.name), ["search_documents", "read_document", "ask", "list_documents"])
        for tool in tools {
            let input = try Connection.json(tool.inputSchema), output = try Connection.json(XCTUnwrap(tool.outputSchema))
            XCTAssertEqual(input["type"] as? String, "object", tool.name)
            XCTAssertEqual(output["type"] as? String, "object", tool.name)
        }
        XCTAssertEqual(try Connection.json(tools[0].inputSchema)["required"] as? [String], ["query"])

        let folder = FileManager.default.temporaryDirectory.path
        let writer = try await connect(index: CorpusIndex.path(), ingest: [folder])
        defer { Task { await writer.close() } }
        let offered = try await writer.client.listTools().tools
        XCTAssertEqual(offered.last?.name, "ingest")
    }

    /// structuredContent is exactly `rag search --json`, and each hit's offsets read its own text back.
    func testSearchHitsAreTheSessionsAndTheirOffsetsReadBackTheirText() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let (json, text) = try await connection.structured("search_documents", ["query": "预训练", "k": 3, "mode": "lexical"])
        let hits = try XCTUnwrap(json["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.count, 3)
        XCTAssertEqual(hits.first?["source"] as? String, "Corpus/09-pretraining.md")
        XCTAssertTrue(text.hasPrefix("1. Corpus/09-pretraining.md #"), text)

        let session = try RAGSession(indexPath: CorpusIndex.path(), parallelism: Parallelism(threads: 2))
        let (mode, direct, _) = try session.search("预训练", mode: .lexical, k: 3)
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: WireFormat.encode(SearchReport(query: "预训练", mode: mode, hits: direct))) as? NSDictionary)
        XCTAssertEqual(json as NSDictionary, expected)

        for hit in hits {
            let source = try XCTUnwrap(hit["source"] as? String), start = try XCTUnwrap(hit["start"] as? Int), end = try XCTUnwrap(hit["end"] as? Int)
            let (read, _) = try await connection.structured("read_document", ["source": .string(source), "start": .int(start), "end": .int(end)])
            XCTAssertEqual(read["text"] as? String, hit["text"] as? String)
            XCTAssertEqual(read["start"] as? Int, start)
            XCTAssertEqual(read["end"] as? Int, end)
        }
    }

    func testDocumentsAreListedAndReadableAsResourcesAndThroughReadDocument() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let (listed, listText) = try await connection.structured("list_documents")
        let documents = try XCTUnwrap(listed["documents"] as? [[String: Any]])
        XCTAssertEqual(documents.count, 14)
        XCTAssertEqual(documents.map { $0["path"] as? String }, documents.map { $0["path"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") })
        XCTAssertEqual(listText.split(separator: "\n").count, 14)
        let pretraining = try XCTUnwrap(documents.first { $0["path"] as? String == "Corpus/09-pretraining.md" })
        XCTAssertEqual(pretraining["title"] as? String, "预训练")
        XCTAssertGreaterThan(pretraining["chunks"] as? Int ?? 0, 0)
        XCTAssertNotNil(ISO8601DateFormatter().date(from: pretraining["ingested_at"] as? String ?? ""))

        let resources = try await connection.client.listResources().resources
        XCTAssertEqual(resources.map(\.uri), documents.map { "rag://document/\($0["id"] as? Int ?? 0)" })
        XCTAssertEqual(resources.map(\.name), documents.map { $0["path"] as? String ?? "" })
        let uri = "rag://document/\(try XCTUnwrap(pretraining["id"] as? Int))"
        let contents = try await connection.client.readResource(uri: uri)
        let (whole, _) = try await connection.structured("read_document", ["source": "Corpus/09-pretraining.md"])
        XCTAssertEqual(contents.first?.text, whole["text"] as? String)
        XCTAssertEqual(contents.first?.mimeType, "text/plain")
        XCTAssertEqual(whole["start"] as? Int, 0)
        XCTAssertEqual(whole["end"] as? Int, whole["length"] as? Int)
        XCTAssertTrue((whole["text"] as? String ?? "").hasPrefix("预训练\n\n什么是预训练\n\n预训练（pre-training）"))
        let (byURI, _) = try await connection.structured("read_document", ["source": .string(uri), "start": 5, "end": 10])
        XCTAssertEqual(byURI["text"] as? String, "什么是预训")

        let templates = try await connection.client.listResourceTemplates().templates
        XCTAssertEqual(templates.map(\.uriTemplate), ["rag://document/{id}"])
        do {
            _ = try await connection.client.readResource(uri: "rag://document/999999")
            XCTFail("an unknown document is a resource error")
        } catch let error as MCPError {
            XCTAssertEqual(error.code, -32002)
        }
    }

    /// Every tool refuses a bad call with its one line, as a result (`isError`), never a protocol error.
    func testBadCallsAreToolErrorsWithOneLine() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        var line = try await connection.failure("search_documents", ["k": 3])
        XCTAssertEqual(line, "search_documents needs the argument \"query\"")
        line = try await connection.failure("search_documents", ["query": "预训练", "k": 0])
        XCTAssertEqual(line, "search_documents: \"k\" is 0; it must be from 1 to 50")
        line = try await connection.failure("search_documents", ["query": "预训练", "mode": "fuzzy"])
        XCTAssertEqual(line, "search_documents: \"mode\" is \"fuzzy\"; it must be one of lexical, dense, hybrid")
        line = try await connection.failure("search_documents", ["query": "预训练", "top_k": 3])
        XCTAssertTrue(line.contains("\"top_k\" is not one of them"), line)
        line = try await connection.failure("search_documents", ["query": "???"])
        XCTAssertEqual(line, "\(RetrievalError.noSearchableTerms)")
        line = try await connection.failure("read_document", ["source": "Corpus/nothing.md"])
        XCTAssertTrue(line.hasPrefix("read_document: no document Corpus/nothing.md in the index"), line)
        line = try await connection.failure("read_document", ["source": "Corpus/09-pretraining.md", "start": 100_000])
        XCTAssertTrue(line.hasPrefix("start 100000 is past the end of the document"), line)
        line = try await connection.failure("read_document", ["source": "Corpus/09-pretraining.md", "start": "0"])
        XCTAssertEqual(line, "read_document: \"start\" must be an integer")
        line = try await connection.failure("ask", ["question": "   "])
        XCTAssertEqual(line, "ask: \"question\" is empty")
        line = try await connection.failure("ask", ["question": "什么是预训练", "mode": "chat"])
        XCTAssertTrue(line.hasPrefix("ask: \"mode\" is \"chat\""), line)
        line = try await connection.failure("list_documents", ["all": true])
        XCTAssertEqual(line, "list_documents takes no arguments (got \"all\")")
        line = try await connection.failure("ingest", ["paths": ["Corpus"]])
        XCTAssertTrue(line.hasPrefix("ingest is off"), line)
        do {
            _ = try await connection.call("summarise")
            XCTFail("an unknown tool is a protocol error")
        } catch let error as MCPError {
            XCTAssertEqual(error.code, -32602)
        }
    }

    func testAMissingIndexIsAToolErrorAndListsNoResources() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("rag-mcp-none-\(UUID().uuidString).sqlite").path
        let connection = try await connect(index: missing)
        defer { Task { await connection.close() } }
        let line = try await connection.failure("search_documents", ["query": "预训练"])
        XCTAssertEqual(line, "no index at \(missing): run `rag ingest PATH...` first (or pass --index)")
        _ = try await connection.failure("list_documents")
        _ = try await connection.failure("ask", ["question": "什么是预训练"])
        let resources = try await connection.client.listResources().resources
        XCTAssertEqual(resources, [])
    }

    /// A question the documents do not cover: the verdict, no generated text, no generator loaded.
    func testAnUncoveredQuestionIsAVerdictWithoutGeneratedText() async throws {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let (json, text) = try await connection.structured("ask", ["question": "量子计算机的工作原理是什么"])
        XCTAssertEqual(json["covered"] as? Bool, false)
        XCTAssertEqual(json["message"] as? String, "文档中没有涉及这个问题的内容，因此不作回答。")
        XCTAssertTrue(json["generation"] is NSNull)
        XCTAssertTrue(text.hasPrefix("文档中没有涉及这个问题的内容"), text)
    }

    /// A generated, cited answer, with progress notifications (the client sent a progressToken) that count
    /// up, one per generated token after retrieval.
    func testAskAnswersWithCitationsAndReportsProgress() async throws {
        try Repository.skipUnlessModels(decoder: true)
        let connection = try await connect()
        defer { Task { await connection.close() } }
        let log = ProgressLog()
        await connection.client.onNotification(ProgressNotification.self) { log.add($0.params) }
        let result = try await connection.call("ask", ["question": "什么是预训练", "mode": "generate", "k": 3],
                                               meta: Metadata(progressToken: .string("ask-1")))
        XCTAssertNotEqual(result.isError, true, Connection.text(of: result))
        let json = try Connection.json(XCTUnwrap(result.structuredContent))
        XCTAssertEqual(json["covered"] as? Bool, true)
        XCTAssertEqual((json["retrieval"] as? [String: Any])?["hits"].map { ($0 as? [Any])?.count }, 3)
        let generation = try XCTUnwrap(json["generation"] as? [String: Any])
        let cited = try XCTUnwrap(generation["cited_answer"] as? String)
        let citations = try XCTUnwrap(generation["citations"] as? [[String: Any]])
        XCTAssertTrue(citations.contains { $0["source"] as? String == "Corpus/09-pretraining.md" }, "\(citations)")
        XCTAssertTrue(Connection.text(of: result).contains(cited))

        let progress = log.all
        XCTAssertTrue(progress.allSatisfy { $0.progressToken == .string("ask-1") })
        XCTAssertEqual(progress.map(\.progress), (1...progress.count).map(Double.init), "counts up by one")
        XCTAssertTrue(progress.contains { $0.message?.hasPrefix("retrieved 3 passages") ?? false }, "\(progress.map(\.message))")
        let tokens = try XCTUnwrap(generation["generated_tokens"] as? Int)
        XCTAssertGreaterThanOrEqual(progress.filter { $0.message?.hasPrefix("generated ") ?? false }.count, tokens)
        XCTAssertTrue(progress.last?.message?.hasSuffix(generation["answer"] as? String ?? "?") ?? false, "\(progress.last?.message ?? "")")
    }
}
