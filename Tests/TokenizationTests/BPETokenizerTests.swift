import Foundation
import ModelFiles
import Tokenization
import XCTest

/// A tiny hand-made vocabulary: the 256 byte tokens (ids 0…255 in byte order), a few merges, and special tokens.
final class BPETokenizerTests: XCTestCase {
    static let byteTexts = (0...255).map { ByteLevelEncoding.tokenText(of: [UInt8($0)]) }
    static let extra = ["ab", "abc", "bc", "aa", "Ġa", "<|end|>", "<x>", "<|end|>!"]
    static let tokens = byteTexts + extra
    static let kinds: [TokenKind] = byteTexts.map { _ in .normal } + [.normal, .normal, .normal, .normal, .normal,
                                                                      .control, .userDefined, .control]
    // Ranks: a+b first, then ab+c, then b+c, a+a, Ġ+a.
    static let merges = ["a b", "ab c", "b c", "a a", "Ġ a"]

    func id(_ text: String) -> Int { Self.tokens.firstIndex(of: text)! }

    func tiny() throws -> BPETokenizer {
        try BPETokenizer(tokens: Self.tokens, kinds: Self.kinds, merges: Self.merges,
                         specialTokens: SpecialTokens(endOfSequence: id("<|end|>")))
    }

    func testByteLevelAlphabet() {
        XCTAssertEqual(ByteLevelEncoding.tokenText(of: Array(" \n".utf8)), "ĠĊ")
        XCTAssertEqual(ByteLevelEncoding.tokenText(of: Array("A~".utf8)), "A~")
        XCTAssertEqual(Set(ByteLevelEncoding.scalarForByte).count, 256)
        let all = (0...255).map(UInt8.init)
        XCTAssertEqual(ByteLevelEncoding.bytes(ofTokenText: ByteLevelEncoding.tokenText(of: all)), all)
        XCTAssertNil(ByteLevelEncoding.bytes(ofTokenText: "你"))
    }

    func testMergesApplyByRank() throws {
        let t = try tiny()
        XCTAssertEqual(t.encode("abc"), [id("abc")])  // a+b (rank 0) before b+c (rank 2), then ab+c
        XCTAssertEqual(t.encode("bc"), [id("bc")])
        XCTAssertEqual(t.encode("aaa"), [id("aa"), Int(UInt8(ascii: "a"))])  // equal ranks: leftmost first
        XCTAssertEqual(t.encode("abd"), [id("ab"), Int(UInt8(ascii: "d"))])
        XCTAssertEqual(t.encode("x a"), [Int(UInt8(ascii: "x")), id("Ġa")])
        XCTAssertEqual(t.encode("é"), [0xC3, 0xA9].map { Int($0) })  // no merges: one token per byte
    }

    func testSpecialTokensLongestFirst() throws {
        let t = try tiny()
        XCTAssertEqual(t.encode("ab<|end|>!ab"), [id("ab"), id("<|end|>!"), id("ab")])
        XCTAssertEqual(t.encode("<|end|>?"), [id("<|end|>"), Int(UInt8(ascii: "?"))])
        XCTAssertEqual(t.encode("<x><x>", parseSpecial: false), [id("<x>"), id("<x>")])
        let spelled = t.encode("<|end|>", parseSpecial: false)
        XCTAssertEqual(spelled.count, 7)
        XCTAssertEqual(t.decode(spelled), "<|end|>")
        XCTAssertEqual(t.decode([id("ab"), id("<|end|>")], renderSpecial: false), "ab")
        XCTAssertEqual(t.specialTokens.endOfGeneration, [id("<|end|>")])
    }

    func testRoundTripAndPieces() throws {
        let t = try tiny()
        for text in ["", "abc abc\n\n", "  mixed 文本 🚀 123", "\u{0}\u{7F}"] {
            XCTAssertEqual(t.decode(t.encode(text)), text)
        }
        XCTAssertEqual(t.piece(for: id("Ġa")), " a")
        XCTAssertEqual(t.piece(for: 0xF0), "\\xF0")
        XCTAssertEqual(t.decode([999_999]), "\u{FFFD}")
    }

    func testStreamingNeverSplitsACharacter() throws {
        let t = try tiny()
        var stream = StreamingDetokenizer(tokenizer: t)
        let rocket = Array("🚀".utf8).map { Int($0) }
        XCTAssertEqual(rocket.map { stream.append($0) }, ["", "", "", "🚀"])
        XCTAssertEqual(stream.append(id("ab")), "ab")
        XCTAssertEqual(stream.append(id("<|end|>")), "")  // control tokens are not printed by default
        XCTAssertEqual(stream.append(0xE4), "")
        XCTAssertEqual(stream.finish(), "\u{FFFD}")  // a character that never completed
        XCTAssertEqual(stream.finish(), "")
        XCTAssertEqual(stream.append(0xFF), "\u{FFFD}")  // a byte that can never start a character
    }

    func testMalformedVocabularies() {
        XCTAssertThrowsError(try BPETokenizer(tokens: Self.tokens, kinds: [.normal], merges: [],
                                              specialTokens: SpecialTokens()))
        XCTAssertThrowsError(try BPETokenizer(tokens: ["a"], kinds: [.normal], merges: [], specialTokens: SpecialTokens())) {
            XCTAssertEqual($0 as? TokenizerError, .malformedVocabulary("no token for the byte 0"))
        }
        XCTAssertThrowsError(try BPETokenizer(tokens: Self.tokens, kinds: Self.kinds, merges: ["ab"],
                                              specialTokens: SpecialTokens()))
        XCTAssertThrowsError(try BPETokenizer(tokens: Self.tokens, kinds: Self.kinds, merges: [],
                                              specialTokens: SpecialTokens(endOfSequence: 10_000)))
    }

    /// The same vocabulary stored the way a GGUF file stores it.
    func writeGGUF(model: String = "gpt2", pre: String = "qwen2") throws -> URL {
        var writer = GGUFWriter()
        writer.add("tokenizer.ggml.model", .string(model))
        writer.add("tokenizer.ggml.pre", .string(pre))
        writer.add("tokenizer.ggml.tokens", .array(.string(Self.tokens)))
        writer.add("tokenizer.ggml.token_type", .array(.int32(Self.kinds.map { Int32($0.rawValue) })))
        writer.add("tokenizer.ggml.merges", .array(.string(Self.merges)))
        writer.add("tokenizer.ggml.eos_token_id", .uint32(UInt32(id("<|end|>"))))
        writer.add("tokenizer.ggml.add_bos_token", .bool(false))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-tok-\(UUID().uuidString).gguf")
        try writer.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testLoadsFromGGUF() throws {
        let t = try BPETokenizer(gguf: GGUFFile(url: writeGGUF()))
        XCTAssertEqual(t.vocabularySize, Self.tokens.count)
        XCTAssertEqual(t.encode("abc<|end|>"), [id("abc"), id("<|end|>")])
        XCTAssertEqual(t.specialTokens.endOfSequence, id("<|end|>"))
        XCTAssertThrowsError(try BPETokenizer(gguf: GGUFFile(url: writeGGUF(model: "llama")))) {
            XCTAssertEqual($0 as? TokenizerError, .unsupportedModel("llama"))
        }
        XCTAssertThrowsError(try BPETokenizer(gguf: GGUFFile(url: writeGGUF(pre: "llama-bpe")))) {
            XCTAssertEqual($0 as? TokenizerError, .unsupportedPreTokenizer("llama-bpe"))
        }
    }
}
