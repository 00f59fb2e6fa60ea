import Foundation
import Hummingbird
import HummingbirdTesting
import ModelFiles
import RAGKit
@testable import RAGServer
import Retrieval
import XCTest

/// Generated answers through HTTP with the real decoder: streamed in order with the sources first, the same
/// text as a fresh session writes (the prompt cache changes the speed, never the answer), a bounded line.
final class ServerGenerationTests: XCTestCase {
    var fixture: ServerFixture!

    override func setUpWithError() throws {
        try XCTSkipUnless(ServerFixture.modelsPresent
                          && FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .decoder).path), "models are not fetched")
        fixture = try ServerFixture()
    }

    override func tearDown() { fixture = nil }

    func ask(_ question: String, stream: Bool, maxTokens: Int = 48, mode: String = "compare") -> ByteBuffer {
        jsonBody(["question": question, "stream": stream, "max_tokens": maxTokens, "mode": mode, "show_probs": stream])
    }

    func testAStreamSendsSourcesThenPiecesThenTheWholeAnswerAndTheCacheKeepsItsText() async throws {
        // What a fresh session (no prompt cache, as `rag ask`) writes for the two questions.
        var settings = AskSettings()
        settings.generation.maxTokens = 48
        let fresh = try RAGSession(indexPath: fixture.indexPath, parallelism: .init(threads: 2))
        let first = try XCTUnwrap(try fresh.answer("什么是预训练", settings: settings).generation?.text)
        let second = try XCTUnwrap(try RAGSession(indexPath: fixture.indexPath, parallelism: .init(threads: 2))
            .answer("微调需要多少数据", settings: settings).generation?.text)

        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders, body: self.ask("什么是预训练", stream: true)) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/event-stream; charset=utf-8")
                let events = serverSentEvents(response.text)
                XCTAssertEqual(events.first?.name, "retrieval")
                XCTAssertEqual(events.last?.name, "answer")
                let pieces = events.filter { $0.name == "piece" }
                XCTAssertFalse(pieces.isEmpty)
                let retrieval = try JSONSerialization.jsonObject(with: Data(events[0].data.utf8)) as? [String: Any] ?? [:]
                XCTAssertEqual(retrieval["covered"] as? Bool, true)
                XCTAssertFalse(((retrieval["retrieval"] as? [String: Any])?["hits"] as? [Any] ?? []).isEmpty, "sources come first")
                let streamed = pieces.map { (try? JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any])?["text"] as? String ?? "" }.joined()
                let answer = try JSONSerialization.jsonObject(with: Data(events.last!.data.utf8)) as? [String: Any] ?? [:]
                let generation = answer["generation"] as? [String: Any] ?? [:]
                XCTAssertEqual(generation["answer"] as? String, streamed)
                XCTAssertEqual(streamed, first, "the server's answer is the command line's")
                XCTAssertNotNil(generation["grounding"] as? [Any])
                let candidates = (try? JSONSerialization.jsonObject(with: Data(pieces[0].data.utf8)) as? [String: Any])?["candidates"] as? [Any]
                XCTAssertEqual(candidates?.count, 5, "show_probs streams each token's candidates")
            }
            try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders, body: self.ask("微调需要多少数据", stream: false)) { response in
                let generation = response.json["generation"] as? [String: Any] ?? [:]
                XCTAssertEqual(generation["answer"] as? String, second, "a prefix from the cache gives the same text")
                XCTAssertGreaterThan(generation["cached_prompt_tokens"] as? Int ?? 0, 20, "the template and system text came from the cache")
                XCTAssertLessThan(generation["cached_prompt_tokens"] as? Int ?? 0, generation["prompt_tokens"] as? Int ?? 0)
            }
        }
    }

    func testAChatCompletionIsTheCitedAnswerWithTheReportAlongside() async throws {
        try await fixture.application().test(.router) { client in
            let body = jsonBody(["model": "rag", "max_tokens": 48,
                                 "messages": [["role": "system", "content": "ignored"], ["role": "user", "content": "什么是预训练"]]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: body) { response in
                XCTAssertEqual(response.status, .ok)
                let choice = (response.json["choices"] as? [[String: Any]])?.first ?? [:]
                let content = (choice["message"] as? [String: Any])?["content"] as? String
                let report = response.json["rag"] as? [String: Any] ?? [:]
                XCTAssertEqual(content, (report["generation"] as? [String: Any])?["cited_answer"] as? String)
                XCTAssertEqual(response.json["object"] as? String, "chat.completion")
            }
            let notCovered = jsonBody(["model": "rag-retrieve", "messages": [["role": "user", "content": "今天上海的天气怎么样"]]])
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: jsonHeaders, body: notCovered) { response in
                let choice = (response.json["choices"] as? [[String: Any]])?.first ?? [:]
                XCTAssertEqual((choice["message"] as? [String: Any])?["content"] as? String, QuestionLanguage.chinese.notCoveredMessage)
            }
        }
    }

    func testAFullLineIsRefusedWithRetryAfterWhileSearchesGoOn() async throws {
        try await fixture.application { $0.queueCapacity = 0 }.test(.router) { client in
            let long = Task {
                try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders,
                                         body: self.ask("什么是预训练", stream: false, maxTokens: 200, mode: "generate")) { $0.status }
            }
            // Wait until the first question holds the decoder.
            var generating = 0
            for _ in 0..<600 where generating == 0 {
                try await Task.sleep(for: .milliseconds(20))
                generating = try await client.execute(uri: "/health", method: .get) { $0.json["generating"] as? Int ?? 0 }
            }
            XCTAssertEqual(generating, 1)
            try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders, body: self.ask("微调", stream: false)) { response in
                XCTAssertEqual(response.status, .serviceUnavailable)
                XCTAssertEqual(response.headers[.retryAfter], "5")
                XCTAssertTrue(response.errorMessage?.contains("busy") == true)
            }
            try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders, body: self.ask("微调", stream: true)) {
                XCTAssertEqual($0.status, .serviceUnavailable, "a stream is refused before its status line")
            }
            try await client.execute(uri: "/v1/search", method: .post, headers: jsonHeaders, body: jsonBody(["query": "微调"])) {
                XCTAssertEqual($0.status, .ok, "searches do not wait for the decoder")
            }
            let status = try await long.value
            XCTAssertEqual(status, .ok)
        }
    }
}
