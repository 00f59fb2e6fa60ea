import Foundation
import XCTest
@testable import Kernels
@testable import ModelFiles

final class E5ModelFileTests: XCTestCase {
    func testReadsSyntheticFile() throws {
        let writer = E5FileWriter()
        let model = try E5ModelFile(url: E5FileWriter.temporaryFile(writer.bytes()))
        XCTAssertEqual(model.hyperparameters.hiddenSize, 32)
        XCTAssertEqual(model.hyperparameters.headDimension, 16)
        XCTAssertEqual(model.vocabulary.pieceCount, 8)
        XCTAssertEqual(model.vocabulary.pieceText(7), "\u{2581}ab")
        XCTAssertEqual(model.vocabulary.scores[6], -4)
        XCTAssertEqual(model.vocabulary.unknown, 3)
        XCTAssertEqual(model.vocabulary.eos, 2)
        XCTAssertEqual(model.normalization.replacement(of: 0xFF21).map(Array.init), [0x41])
        XCTAssertEqual(model.normalization.replacement(of: 0x200B).map(Array.init), [])
        XCTAssertNil(model.normalization.replacement(of: 0x41))
        let word = try model.matrix("emb.word", rows: 8, columns: 32)
        XCTAssertEqual(word.type, .q4_0)
        var row = [Float](repeating: 0, count: 32)
        word.referenceDequantizeRow(3, into: &row)
        XCTAssertTrue(row.contains { $0 != 0 })
        let position = try model.vector("emb.pos", count: 8 * 32)
        XCTAssertEqual(position[1], Float((31 + 17) % 23) / 23 - 0.5)
        XCTAssertEqual(model.tensorNames.count, 5 + 16)
    }

    func testStrictBinding() throws {
        var writer = E5FileWriter()
        writer.omitted = ["l0.fo.w"]
        let model = try E5ModelFile(url: E5FileWriter.temporaryFile(writer.bytes()))
        XCTAssertThrowsError(try model.matrix("l0.fo.w", rows: 32, columns: 64)) { error in
            XCTAssertEqual(error as? E5ModelFileError, .missingTensor(file: model.url.path, name: "l0.fo.w"))
        }
        XCTAssertThrowsError(try model.matrix("l0.fi.w", rows: 32, columns: 32))  // wrong shape
        XCTAssertThrowsError(try model.vector("l0.fi.w", count: 64 * 32))  // Q4_0, not f32
    }

    /// Every proper prefix of a valid file must be rejected with a one-line error, never a crash.
    func testEveryTruncationIsAnError() throws {
        let bytes = E5FileWriter().bytes()
        let directory = try E5FileWriter.temporaryFile([]).deletingLastPathComponent()
        // Every length through the tokenizer, every 5th through the directory, then a sample of lengths inside the tensor data.
        let lengths = Array(0..<120) + Array(stride(from: 120, to: 1000, by: 5)) + Array(stride(from: 1000, to: bytes.count, by: 97))
        for length in lengths {
            let url = directory.appendingPathComponent("cut-\(length).bin")
            try Data(bytes[0..<length]).write(to: url)
            XCTAssertThrowsError(try E5ModelFile(url: url), "prefix \(length)") { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("scripts/fetch-models"), message)
                XCTAssertTrue(message.contains(url.path), message)
                XCTAssertFalse(message.contains("\n"))
            }
            try FileManager.default.removeItem(at: url)
        }
    }

    func testCorruptionsAreErrors() throws {
        let good = E5FileWriter().bytes()
        func expectError(_ edit: (inout [UInt8]) -> Void, _ fragment: String, line: UInt = #line) throws {
            var bytes = good
            edit(&bytes)
            let url = try E5FileWriter.temporaryFile(bytes)
            XCTAssertThrowsError(try E5ModelFile(url: url), line: line) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        try expectError({ $0[0] = UInt8(ascii: "X") }, "E5S1")
        try expectError({ $0[40] = 16 }, "block size")                // quantisation block 16
        try expectError({ $0[16] = 5 }, "heads")                      // 32 hidden / 5 heads
        try expectError({ $0[44] = 0xFF; $0[45] = 0xFF; $0[46] = 0xFF; $0[47] = 0x7F }, "piece count")
        try expectError({ $0[48] = 99 }, "special token")
        // The first piece offset (after count, 4 specials and u64 blob length) must be 0.
        try expectError({ $0[44 + 4 + 16 + 8] = 1 }, "piece offsets")
        // Blob length far beyond the file.
        try expectError({ $0[44 + 4 + 16 + 6] = 0x7F }, "truncated")
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try E5ModelFile(url: URL(fileURLWithPath: "/nonexistent/e5.bin"))) { error in
            XCTAssertTrue("\(error)".contains("scripts/fetch-models"))
        }
    }

    /// The real model, cut short inside the tensor directory and inside the data, must be refused.
    func testTruncatedRealModel() throws {
        let path = (ProcessInfo.processInfo.environment["RAG_MODELS"] ?? NSHomeDirectory() + "/.cache/rag/models")
            + "/e5-small-q4.bin"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "the e5 model is not fetched (scripts/fetch-models)")
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let prefix = try handle.read(upToCount: 4_700_000) ?? Data()
        for length in [30, 1_000_000, 4_632_400, 4_700_000] {
            let url = try E5FileWriter.temporaryFile(Array(prefix[0..<length]))
            XCTAssertThrowsError(try E5ModelFile(url: url)) { error in
                XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
            }
        }
        let model = try E5ModelFile(url: URL(fileURLWithPath: path))
        XCTAssertEqual(model.hyperparameters, E5Hyperparameters(
            hiddenSize: 384, layerCount: 12, headCount: 12, intermediateSize: 1536, vocabularyRows: 250037,
            maxPositions: 512, tokenTypeCount: 2, layerNormEpsilon: 1e-12))
        XCTAssertEqual(model.vocabulary.pieceCount, 250002)
        XCTAssertEqual(model.normalization.codePoints.count, 4837)
        XCTAssertEqual(model.tensorNames.count, 197)
        XCTAssertEqual(model.vocabulary.pieceText(6), "\u{2581}")
    }
}
