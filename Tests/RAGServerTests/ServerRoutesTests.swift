import Foundation
import Hummingbird
import HummingbirdTesting
import RAGKit
@testable import RAGServer
import Retrieval
import XCTest

/// rag's own routes on a real index with the real encoder: what `rag search --json` and `rag ask --json`
/// print, the same through HTTP; and every malformed request a one-line JSON error.
final class ServerRoutesTests: XCTestCase {
    var fixture: ServerFixture!

    override func setUpWithError() throws {
        try XCTSkipUnless(ServerFixture.modelsPresent, "the encoder is not fetched")
        fixture = try ServerFixture()
    }

    override func tearDown() { fixture = nil }

    func testSearchAndRetrievalAnswersAreTheCommandLinesJSON() async throws {
        let session = try RAGSession(indexPath: fixture.indexPath, parallelism: .init(threads: 2))
        let (mode, hits, _) = try session.search("什么是预训练", mode: nil, k: 2)
        let expectedSearch = try WireFormat.encode(SearchReport(query: "什么是预训练", mode: mode, hits: hits))
        var settings = AskSettings()
        settings.mode = .retrieve
        let expectedAsk = try WireFormat.encode(AskReport(answer: try session.answer("什么是预训练", settings: settings), pieces: nil))

        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.json["documents"] as? Int, 2)
            }
            try await client.execute(uri: "/v1/documents", method: .get) { response in
                let documents = response.json["documents"] as? [[String: Any]] ?? []
                XCTAssertEqual(Set(documents.compactMap { $0["path"] as? String }), ["docs/pretraining.md", "docs/finetuning.md"])
                XCTAssertNotNil(documents.first?["id"] as? Int)
            }
            try await client.execute(uri: "/v1/search", method: .post, headers: jsonHeaders,
                                     body: jsonBody(["query": "什么是预训练", "k": 2])) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.text, String(decoding: expectedSearch, as: UTF8.self))
            }
            try await client.execute(uri: "/v1/ask", method: .post, headers: jsonHeaders,
                                     body: jsonBody(["question": "什么是预训练", "mode": "retrieve"])) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.text, String(decoding: expectedAsk, as: UTF8.self))
            }
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8")
                XCTAssertTrue(response.text.contains("<html") || response.text.contains("<!doctype html"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let paths = response.json["paths"] as? [String: Any] ?? [:]
                for route in ["/health", "/v1/search", "/v1/ask", "/v1/documents", "/v1/documents/{id}", "/v1/chat/completions",
                              "/v1/embeddings", "/v1/models"] {
                    XCTAssertNotNil(paths[route], "\(route) is described")
                }
            }
        }
    }

    func testMalformedRequestsGetOneLineJSONErrors() async throws {
        let tooLong = String(repeating: "预", count: 3000)
        let cases: [(uri: String, method: HTTPRequest.Method, body: String?, status: HTTPResponse.Status, says: String)] = [
            ("/v1/search", .post, "{not json", .badRequest, "not valid JSON"),
            ("/v1/search", .post, nil, .badRequest, "no body"),
            ("/v1/search", .post, #"{"query": 5}"#, .badRequest, "\"query\" must be a string"),
            ("/v1/search", .post, #"{"k": 3}"#, .badRequest, "\"query\" is missing"),
            ("/v1/search", .post, #"{"query": "预训练", "k": "five"}"#, .badRequest, "\"k\" must be an integer"),
            ("/v1/search", .post, #"{"query": "预训练", "k": 0}"#, .badRequest, "between 1 and 50"),
            ("/v1/search", .post, #"{"query": "预训练", "mode": "fuzzy"}"#, .badRequest, "lexical, dense, hybrid"),
            ("/v1/search", .post, #"{"query": "   "}"#, .badRequest, "is empty"),
            ("/v1/search", .post, #"{"query": "???"}"#, .badRequest, "no letters"),
            ("/v1/search", .post, "{\"query\": \"\(tooLong)\"}", .badRequest, "the limit is 2000"),
            ("/v1/search", .post, "[" + String(repeating: "1,", count: 600_000) + "1]", .contentTooLarge, "over the server's limit"),
            ("/v1/ask", .post, #"{"question": "预训练", "mode": "guess"}"#, .badRequest, "retrieve, generate, compare"),
            ("/v1/ask", .post, #"{"question": "预训练", "max_tokens": 100000}"#, .badRequest, "\"max_tokens\""),
            ("/v1/ask", .post, #"{"question": "预训练", "temperature": -1}"#, .badRequest, "\"temperature\""),
            ("/v1/chat/completions", .post, #"{"messages": []}"#, .badRequest, "user message"),
            ("/v1/chat/completions", .post, #"{"messages": [{"role": "user", "content": "预训练"}], "model": "gpt-4"}"#, .notFound, "no model"),
            ("/v1/embeddings", .post, #"{"input": [1, 2, 3]}"#, .badRequest, "token arrays"),
            ("/v1/documents/abc", .delete, nil, .badRequest, "must be an integer"),
            ("/v1/documents/999999", .delete, nil, .notFound, "no document 999999"),
            ("/v1/documents", .post, "hello", .badRequest, "multipart/form-data"),
            ("/v1/nothing?x=%00%ff&&==", .get, nil, .notFound, ""),
        ]
        try await fixture.application().test(.router) { client in
            for item in cases {
                try await client.execute(uri: item.uri, method: item.method, headers: jsonHeaders,
                                         body: item.body.map { ByteBuffer(string: $0) }) { response in
                    XCTAssertEqual(response.status, item.status, "\(item.method) \(item.uri) \(item.body?.prefix(60) ?? "")")
                    let message = response.errorMessage
                    XCTAssertNotNil(message, "a JSON error for \(item.uri): \(response.text.prefix(200))")
                    XCTAssertTrue(item.says.isEmpty || message?.contains(item.says) == true, "\(message ?? "nil") says \(item.says)")
                    XCTAssertFalse(message?.contains("\n") == true, "one line")
                }
            }
            // The index is untouched by all of it.
            try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.json["documents"] as? Int, 2) }
        }
    }

    func testAKeyGuardsTheAPIButNotThePage() async throws {
        try await fixture.application { $0.apiKey = "correct horse battery" }.test(.router) { client in
            let search = jsonBody(["query": "微调"])
            try await client.execute(uri: "/v1/search", method: .post, headers: jsonHeaders, body: search) { response in
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertEqual(response.headers[.wwwAuthenticate], "Bearer")
                XCTAssertEqual((response.json["error"] as? [String: Any])?["code"] as? String, "invalid_api_key")
            }
            var wrong = jsonHeaders
            wrong[.authorization] = "Bearer correct horse battery!"
            try await client.execute(uri: "/v1/search", method: .post, headers: wrong, body: search) { XCTAssertEqual($0.status, .unauthorized) }
            var right = jsonHeaders
            right[.authorization] = "Bearer correct horse battery"
            try await client.execute(uri: "/v1/search", method: .post, headers: right, body: search) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/", method: .get) { XCTAssertEqual($0.status, .ok) }
            try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testOtherAddressesNeedAKeyOrAnExplicitNoAuth() throws {
        var settings = fixture.settings { $0.host = "0.0.0.0" }
        XCTAssertThrowsError(try settings.validate()) { XCTAssertEqual($0 as? ServeError, .keyRequired(host: "0.0.0.0")) }
        settings.apiKey = "short"
        XCTAssertThrowsError(try settings.validate()) { XCTAssertEqual($0 as? ServeError, .weakKey) }
        settings.apiKey = "a long enough key"
        XCTAssertNoThrow(try settings.validate())
        settings.apiKey = nil
        settings.allowsNoAuth = true
        XCTAssertNoThrow(try settings.validate())
        XCTAssertNoThrow(try fixture.settings().validate(), "loopback needs no key")
    }

    func testUploadsAreIngestedUnderSafeNamesAndDeletedWithTheirFiles() async throws {
        let boundary = "----rag-test-boundary"
        func part(_ filename: String, _ text: String) -> String {
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(filename)\"\r\nContent-Type: text/markdown\r\n\r\n\(text)\r\n"
        }
        let body = part("../../escape/rlhf.md", "# RLHF\n\n奖励模型学习人类的偏好，再用强化学习调整语言模型。")
            + part("empty.md", "") + "--\(boundary)--\r\n"
        let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        let uploads = fixture.folder.appendingPathComponent("uploads")
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/v1/documents", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                XCTAssertEqual(response.status, .ok, response.text)
                XCTAssertEqual(response.json["added"] as? Int, 1)
                let skipped = response.json["skipped"] as? [[String: Any]] ?? []
                XCTAssertEqual(skipped.count, 1, "the empty file comes back with its reason: \(response.text)")
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: uploads.appendingPathComponent("rlhf.md").path), "saved in the uploads folder")
            XCTAssertFalse(FileManager.default.fileExists(atPath: self.fixture.folder.deletingLastPathComponent().appendingPathComponent("escape").path))
            let id: Int = try await client.execute(uri: "/v1/documents", method: .get) { response in
                let documents = response.json["documents"] as? [[String: Any]] ?? []
                return documents.first { ($0["path"] as? String)?.hasSuffix("uploads/rlhf.md") == true }?["id"] as? Int ?? -1
            }
            XCTAssertGreaterThan(id, 0)
            try await client.execute(uri: "/v1/search", method: .post, headers: jsonHeaders,
                                     body: jsonBody(["query": "奖励模型", "mode": "lexical"])) { response in
                let hits = response.json["hits"] as? [[String: Any]] ?? []
                XCTAssertTrue((hits.first?["source"] as? String)?.hasSuffix("rlhf.md") == true, "searchable at once")
            }
            try await client.execute(uri: "/v1/documents/\(id)", method: .delete) { XCTAssertEqual($0.status, .ok) }
            XCTAssertFalse(FileManager.default.fileExists(atPath: uploads.appendingPathComponent("rlhf.md").path), "the upload's file goes too")
            try await client.execute(uri: "/health", method: .get) { XCTAssertEqual($0.json["documents"] as? Int, 2) }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("docs/pretraining.md").path))
    }

    func testEmbeddingsAreTheEncodersVectors() async throws {
        let embedder = try ModelWiring.embedder(threads: 2)
        let expected = try embedder.embedQuery("什么是预训练")
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/v1/embeddings", method: .post, headers: jsonHeaders,
                                     body: jsonBody(["input": ["什么是预训练", "微调"], "model": "multilingual-e5-small"])) { response in
                XCTAssertEqual(response.status, .ok)
                let data = response.json["data"] as? [[String: Any]] ?? []
                XCTAssertEqual(data.count, 2)
                let vector = (data.first?["embedding"] as? [Double] ?? []).map(Float.init)
                XCTAssertEqual(vector.count, expected.count)
                XCTAssertEqual(zip(vector, expected).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1e-6)
            }
        }
    }
}
