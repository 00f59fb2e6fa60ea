import XCTest
@testable import rag

final class TokenizeCommandTests: XCTestCase {
    func testParsesArguments() throws {
        let command = try TokenizeCommand.parse(["你好", "--json", "--model", "/tmp/m.gguf"])
        XCTAssertEqual(command.text, "你好")
        XCTAssertTrue(command.json)
        XCTAssertEqual(command.modelOptions.model, "/tmp/m.gguf")
    }

    func testReadableOutput() {
        XCTAssertEqual(TokenizeCommand.render(ids: [7, 151645], pieces: [" a\n\t\"", "<|im_end|>"]),
                       "     7  \" a\\n\\t\\\"\"\n151645  \"<|im_end|>\"\n2 tokens")
        XCTAssertEqual(TokenizeCommand.quoted("\u{1}"), "\"\\u{1}\"")
        XCTAssertEqual(TokenizeCommand.render(ids: [], pieces: []), "0 tokens")
    }
}
