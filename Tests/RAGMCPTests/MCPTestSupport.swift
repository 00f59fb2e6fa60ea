import Foundation
import MCP
import ModelFiles
import RAGKit
import RAGMCP
import XCTest

/// A `DocumentServer` and the SDK's own client, connected by the SDK's in-memory transport.
struct Connection {
    let client: Client
    let server: Server

    static func open(_ options: DocumentServer.Options) async throws -> Connection {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let server = try await DocumentServer(options).start(on: serverSide)
        let client = Client(name: "rag-tests", version: "1")
        _ = try await client.connect(transport: clientSide)
        return Connection(client: client, server: server)
    }

    func close() async {
        await client.disconnect()
        await server.stop()
    }

    /// The whole result of a tool call (the client's `callTool` drops `structuredContent`).
    func call(_ tool: String, _ arguments: [String: Value] = [:], meta: Metadata? = nil) async throws -> CallTool.Result {
        try await client.send(CallTool.request(.init(name: tool, arguments: arguments, meta: meta))).value
    }

    /// A successful call's structured content as Foundation JSON, and its text.
    func structured(_ tool: String, _ arguments: [String: Value] = [:]) async throws -> (json: [String: Any], text: String) {
        let result = try await call(tool, arguments)
        XCTAssertNotEqual(result.isError, true, "\(tool): \(Self.text(of: result))")
        let structured = try XCTUnwrap(result.structuredContent, "\(tool) returns structured content")
        return (try Self.json(structured), Self.text(of: result))
    }

    /// A call that must fail as a tool error; returns its one line.
    func failure(_ tool: String, _ arguments: [String: Value] = [:], file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let result = try await call(tool, arguments)
        XCTAssertEqual(result.isError, true, "\(tool) \(arguments) is a tool error", file: file, line: line)
        XCTAssertNil(result.structuredContent, file: file, line: line)
        let text = Self.text(of: result)
        XCTAssertFalse(text.contains("\n"), "one line: \(text)", file: file, line: line)
        return text
    }

    static func text(of result: CallTool.Result) -> String {
        result.content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined(separator: "\n")
    }

    static func json(_ value: Value) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }
}

/// Where the tests find the repository (Corpus/ is ingested from its root, so sources read "Corpus/…").
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func skipUnlessModels(decoder: Bool = false) throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .encoder).path),
                          "the encoder is not fetched: run scripts/fetch-models")
        if decoder {
            try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .decoder).path),
                              "the decoder is not fetched: run scripts/fetch-models")
        }
    }
}

/// One index of Corpus/ for every test of a run (embedding the corpus is the slow part).
enum CorpusIndex {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-mcp-tests-\(getpid())")
    nonisolated(unsafe) static var made: String?
    static let lock = NSLock()

    static func path() throws -> String {
        try Repository.skipUnlessModels()
        return try lock.withLock {
            if let made { return made }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let index = folder.appendingPathComponent("corpus.sqlite").path
            var job = IngestJob(paths: ["Corpus"], indexPath: index, threads: 2)
            job.workingDirectory = Repository.root
            _ = try job.run()
            made = index
            return index
        }
    }
}

/// Collects the progress notifications a client receives.
final class ProgressLog: @unchecked Sendable {  // `entries` is guarded by `lock`
    private let lock = NSLock()
    private var entries: [ProgressNotification.Parameters] = []

    func add(_ entry: ProgressNotification.Parameters) { lock.withLock { entries.append(entry) } }
    var all: [ProgressNotification.Parameters] { lock.withLock { entries } }
}

/// Collects the notes a server writes for the person running it.
final class NoteLog: @unchecked Sendable {  // `entries` is guarded by `lock`
    private let lock = NSLock()
    private var entries: [String] = []

    func add(_ entry: String) { lock.withLock { entries.append(entry) } }
    var all: [String] { lock.withLock { entries } }
}
