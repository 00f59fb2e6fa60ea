@testable import Retrieval
import XCTest

final class TextDecodingTests: XCTestCase {
    let sample = "预训练让模型学会语言。Pre-training, then fine-tuning."

    func testUTF8() throws {
        let (text, encoding) = try TextDecoding.decode(Data(sample.utf8))
        XCTAssertEqual(text, sample)
        XCTAssertEqual(encoding, .utf8)
    }

    func testUTF8WithBOMDropsTheBOM() throws {
        let (text, encoding) = try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF] + Array(sample.utf8)))
        XCTAssertEqual(text, sample)
        XCTAssertEqual(encoding, .utf8BOM)
    }

    func testUTF16WithBOM() throws {
        let (text, encoding) = try TextDecoding.decode(sample.data(using: .utf16)!)
        XCTAssertEqual(text, sample)
        XCTAssertEqual(encoding, .utf16)
    }

    func testGB18030() throws {
        let bytes = gb18030(sample)
        XCTAssertNil(String(data: bytes, encoding: .utf8), "the fixture really is not UTF-8")
        let (text, encoding) = try TextDecoding.decode(bytes)
        XCTAssertEqual(text, sample)
        XCTAssertEqual(encoding, .gb18030)
    }

    func testGB18030FourByteCharacters() throws {
        let rare = "𠀀𪚥 and €"  // outside GBK: four-byte GB18030 sequences
        XCTAssertEqual(try TextDecoding.decode(gb18030(rare)).text, rare)
    }

    func testEmptyAndWhitespaceOnlyFilesAreSkipped() {
        for bytes in [Data(), Data(" \n\t\r\n".utf8), Data([0xEF, 0xBB, 0xBF])] {
            XCTAssertThrowsError(try TextDecoding.decode(bytes)) { XCTAssertEqual($0 as? UndecodableText, .empty) }
        }
    }

    func testBinaryFilesAreSkipped() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        XCTAssertThrowsError(try TextDecoding.decode(png)) { XCTAssertEqual($0 as? UndecodableText, .binary) }
        let controls = Data("text\u{01}\u{02}more".utf8)
        XCTAssertThrowsError(try TextDecoding.decode(controls)) { XCTAssertEqual($0 as? UndecodableText, .binary) }
    }

    func testBytesThatAreNeitherUTF8NorGB18030AreSkipped() {
        let invalid = Data([0x41, 0xFF, 0xFF, 0x80, 0x42])  // 0xFF is no GB18030 lead byte, 0x80 none either
        XCTAssertThrowsError(try TextDecoding.decode(invalid)) { XCTAssertEqual($0 as? UndecodableText, .unknownEncoding) }
        let truncated = gb18030("中文").dropLast()
        XCTAssertThrowsError(try TextDecoding.decode(Data(truncated)))
    }
}
