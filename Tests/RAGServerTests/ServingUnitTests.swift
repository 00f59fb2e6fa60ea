import Foundation
@testable import RAGKit
@testable import RAGServer
import Retrieval
import XCTest

/// The pieces of the server that need no model: multipart parsing, upload names, the generation line.
final class ServingUnitTests: XCTestCase {
    func testMultipartPartsAndTheirNames() throws {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a \\\"b%22.md\"\r\n\r\nline one\r\n--XyZ\r\n"
            + "content-disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--XyZ--\r\n"
        XCTAssertEqual(MultipartForm.boundary(contentType: "multipart/form-data; boundary=XyZ"), "XyZ")
        XCTAssertEqual(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"XyZ\""), "XyZ")
        XCTAssertNil(MultipartForm.boundary(contentType: "application/json"))
        let parts = try MultipartForm.parse(Data(body.utf8), boundary: "XyZ")
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[0].filename, "a \\\"b\".md")
        XCTAssertEqual(String(decoding: parts[0].content, as: UTF8.self), "line one")
        XCTAssertEqual(parts[1].name, "note")
        XCTAssertNil(parts[1].filename)
        for broken in ["no boundary at all", "--XyZ\r\nContent-Disposition: form-data\r\n", "--XyZ\r\n\r\n\r\nunterminated", "--XyZjunk"] {
            XCTAssertThrowsError(try MultipartForm.parse(Data(broken.utf8), boundary: "XyZ"), broken)
        }
    }

    /// A chat request's earlier messages become the turns a follow-up is asked after: each user message with the
    /// assistant message that answered it; system messages and an unanswered user message are not turns.
    func testEarlierChatMessagesBecomeTheConversation() throws {
        let json = """
            {"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "什么是预训练？"},
                          {"role": "assistant", "content": "预训练是第一个阶段[1]。"}, {"role": "user", "content": "没人回答的"},
                          {"role": "user", "content": [{"type": "text", "text": "它要多久？"}]}]}
            """
        let body = try JSONDecoder().decode(ChatCompletionBody.self, from: Data(json.utf8))
        XCTAssertEqual(try body.question(), "它要多久？")
        XCTAssertEqual(body.conversation(), [ConversationTurn(question: "什么是预训练？", answer: "预训练是第一个阶段[1]。")])
        let many = (0..<40).map { #"{"role": "user", "content": "q\#($0)"}, {"role": "assistant", "content": "a\#($0)"}"# }.joined(separator: ", ")
        let long = try JSONDecoder().decode(ChatCompletionBody.self, from: Data(#"{"messages": [\#(many), {"role": "user", "content": "last"}]}"#.utf8))
        XCTAssertEqual(long.conversation().count, ConversationTurn.maximumRemembered)
        XCTAssertEqual(long.conversation().last?.question, "q39")
    }

    func testUploadNamesNeverLeaveTheFolder() {
        XCTAssertEqual(UploadName.safe("notes.md"), "notes.md")
        XCTAssertEqual(UploadName.safe("../../etc/passwd"), "passwd")
        XCTAssertEqual(UploadName.safe("C:\\Users\\me\\报告.docx"), "报告.docx")
        XCTAssertEqual(UploadName.safe("a\u{0}b\n.md"), "ab.md")
        for refused in ["", "..", ".", "/", ".hidden", "dir/..", String(repeating: "长", count: 100)] {
            XCTAssertNil(UploadName.safe(refused), refused)
        }
    }

    func testTheGenerationLineIsFirstComeFirstServedAndBounded() async throws {
        let queue = GenerationQueue(capacity: 1)
        let first = try await queue.join()
        let second = try await queue.join()
        do { _ = try await queue.join(); XCTFail("one running and one waiting is full") } catch let error as ServingError {
            XCTAssertEqual(error, .queueFull(waiting: 1))
        }
        let firstHasTurn = await queue.wait(for: first, upTo: .seconds(1))
        XCTAssertTrue(firstHasTurn)
        let secondTimesOut = await queue.wait(for: second, upTo: .milliseconds(20))
        XCTAssertFalse(secondTimesOut)
        async let secondTurn = queue.wait(for: second, upTo: .seconds(30))
        try await Task.sleep(for: .milliseconds(20))
        await queue.leave(first)
        let secondHasTurn = await secondTurn
        XCTAssertTrue(secondHasTurn, "leaving passes the turn on at once")
        let position = await queue.position(of: second)
        XCTAssertEqual(position, 0)
        await queue.leave(second)
        let count = await queue.count
        XCTAssertEqual(count, 0)
    }

    func testAWaiterThatGivesUpLeavesTheLine() async throws {
        let queue = GenerationQueue(capacity: 2)
        let running = try await queue.join(), quitter = try await queue.join(), patient = try await queue.join()
        await queue.leave(quitter)
        let patientPosition = await queue.position(of: patient)
        XCTAssertEqual(patientPosition, 1)
        await queue.leave(running)
        let turn = await queue.wait(for: patient, upTo: .seconds(1))
        XCTAssertTrue(turn)
    }
}
