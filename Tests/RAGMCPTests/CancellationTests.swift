import Foundation
import Kernels
import MCP
@testable import RAGMCP
import XCTest

/// A cancelled request gets no response (the MCP specification's rule), a cancelled ask stops generating,
/// and the server goes on serving.
/// The client side here is raw JSON-RPC over the SDK's in-memory transport, to see every message the
/// server sends, including any it should not.
final class CancellationTests: XCTestCase {
    func testACancelledAskGetsNoResponseAndTheNextCallIsAnswered() async throws {
        try Repository.skipUnlessModels(decoder: true)
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let notes = NoteLog()
        let server = try await DocumentServer(DocumentServer.Options(indexPath: try CorpusIndex.path(), parallelism: Parallelism(threads: 2),
                                                                     note: { notes.add($0) }))
            .start(on: serverSide)
        defer { Task { await server.stop() } }
        try await clientSide.connect()
        var messages = await clientSide.receive().makeAsyncIterator()
        func send(_ json: String) async throws { try await clientSide.send(Data(json.utf8)) }
        func next() async throws -> [String: Any] {
            let data = try await XCTUnwrapAsync(try await messages.next())
            return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        try await send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        let initialized = try await next()
        XCTAssertNotNil(initialized["result"])
        try await send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        try await send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask","arguments":{"question":"什么是预训练","mode":"generate"},"_meta":{"progressToken":"p"}}}"#)
        // Cancel once generation has started (the first token's progress notification).
        var seen: [[String: Any]] = []
        while true {
            let message = try await next()
            seen.append(message)
            if (message["params"] as? [String: Any])?["message"].map({ "\($0)".hasPrefix("generated ") }) == true { break }
        }
        try await send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"test"}}"#)
        try await send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_documents","arguments":{}}}"#)
        while true {
            let message = try await next()
            seen.append(message)
            if message["id"] as? Int == 3 { break }
        }
        try await send(#"{"jsonrpc":"2.0","id":4,"method":"ping"}"#)
        while true {
            let message = try await next()
            seen.append(message)
            if message["id"] as? Int == 4 { break }
        }
        XCTAssertFalse(seen.contains { $0["id"] as? Int == 2 }, "no response to the cancelled ask: \(seen.filter { $0["id"] != nil })")
        let listed = seen.first { $0["id"] as? Int == 3 }?["result"] as? [String: Any]
        XCTAssertNotEqual(listed?["isError"] as? Bool, true)
        XCTAssertEqual(((listed?["structuredContent"] as? [String: Any])?["documents"] as? [Any])?.count, 14)

        // The same question, not cancelled, writes its whole answer: the cancelled one had stopped short of it.
        try await send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"ask","arguments":{"question":"什么是预训练","mode":"generate"}}}"#)
        var answer: [String: Any] = [:]
        while answer.isEmpty {
            let message = try await next()
            if message["id"] as? Int == 5 { answer = try XCTUnwrap(message["result"] as? [String: Any]) }
        }
        let generation = try XCTUnwrap((answer["structuredContent"] as? [String: Any])?["generation"] as? [String: Any])
        let whole = try XCTUnwrap(generation["generated_tokens"] as? Int)
        let stopped = try XCTUnwrap(notes.all.compactMap { note -> Int? in
            guard note.hasPrefix("ask cancelled by the client after ") else { return nil }
            return Int(note.split(separator: " ")[6])
        }.first, "a note says the cancelled ask stopped: \(notes.all)")
        XCTAssertLessThan(stopped, whole, "the cancelled ask stopped after \(stopped) of \(whole) tokens")
    }
}

func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    try XCTUnwrap(value, "the server closed the connection", file: file, line: line)
}
