import Foundation
import XCTest

/// The `rag mcp` binary itself, over real pipes: stdout carries JSON-RPC messages and nothing else, notes
/// go to stderr, and the server exits 0 when the client closes stdin.
final class StdioProcessTests: XCTestCase {
    var binary: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rag") }

    func testStdoutCarriesOnlyProtocolMessagesAndClosingStdinEndsTheServer() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "the rag binary is not built next to the tests")
        let index = try CorpusIndex.path()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["mcp", "--index", index]
        process.currentDirectoryURL = Repository.root
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input; process.standardOutput = output; process.standardError = errors
        try process.run()
        let requests = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search_documents","arguments":{"query":"注意力"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ask","arguments":{"question":"什么是预训练","mode":"retrieve"}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"rag://document/1"}}"#,
        ]
        input.fileHandleForWriting.write(Data((requests.joined(separator: "\n") + "\n").utf8))
        // Read until the three answers are in, then hang up, as a client does.
        var lines: [[String: Any]] = [], buffer = Data()
        let reader = output.fileHandleForReading
        while Set(lines.compactMap { $0["id"] as? Int }).isSuperset(of: [1, 2, 3, 4]) == false {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            buffer += chunk
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<newline]
                buffer = Data(buffer[(newline + 1)...])
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: line) as? [String: Any],
                                           "stdout carries JSON objects only: \(String(decoding: line, as: UTF8.self))")
                XCTAssertEqual(object["jsonrpc"] as? String, "2.0")
                lines.append(object)
            }
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let rest = reader.readDataToEndOfFile()
        XCTAssertTrue((buffer + rest).allSatisfy { $0 == UInt8(ascii: "\n") }, "nothing after the answers: \(String(decoding: buffer + rest, as: UTF8.self))")
        XCTAssertEqual(process.terminationStatus, 0)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(stderr.hasPrefix("rag mcp: serving \(index) over stdio"), stderr)

        let search = try XCTUnwrap(lines.first { $0["id"] as? Int == 2 }?["result"] as? [String: Any])
        let hits = try XCTUnwrap((search["structuredContent"] as? [String: Any])?["hits"] as? [[String: Any]])
        XCTAssertEqual(hits.count, 5)
        let ask = try XCTUnwrap(lines.first { $0["id"] as? Int == 3 }?["result"] as? [String: Any])
        XCTAssertEqual((ask["structuredContent"] as? [String: Any])?["covered"] as? Bool, true)
        let read = try XCTUnwrap(lines.first { $0["id"] as? Int == 4 }?["result"] as? [String: Any])
        XCTAssertEqual(((read["contents"] as? [[String: Any]])?.first)?["uri"] as? String, "rag://document/1")
    }
}
