import Foundation
import XCTest
@testable import ModelFiles

/// Hand-made broken files: each must give a typed `GGUFError` naming the file, never a crash.
final class GGUFCorruptionTests: XCTestCase {
    /// A header with explicit counts, then `body` (key/values and tensor infos written by the caller).
    func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) -> [UInt8] {
        var b: [UInt8] = Array("GGUF".utf8)
        b.append(le: version)
        b.append(le: tensors)
        b.append(le: keys)
        return b
    }

    /// One tensor info record.
    func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) -> [UInt8] {
        var b: [UInt8] = []
        b.append(ggufString: name)
        b.append(le: UInt32(dims.count))
        for d in dims { b.append(le: d) }
        b.append(le: type)
        b.append(le: offset)
        return b
    }

    func reason(opening bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> GGUFError.Reason? {
        let url = temporaryFileURL()
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            try Data(bytes).write(to: url)
            _ = try GGUFFile(url: url)
            XCTFail("opened a corrupt file", file: file, line: line)
            return nil
        } catch let error as GGUFError {
            XCTAssertEqual(error.path, url.path, file: file, line: line)
            XCTAssertTrue(error.description.contains(url.path), file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
            return error.reason
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testBadMagicAndVersion() {
        XCTAssertEqual(reason(opening: Array("GGML".utf8) + [UInt8](repeating: 0, count: 20)), .badMagic)
        XCTAssertEqual(reason(opening: header(version: 1, tensors: 0, keys: 0)), .unsupportedVersion(1))
        XCTAssertEqual(reason(opening: header(version: 4, tensors: 0, keys: 0)), .unsupportedVersion(4))
    }

    func testEmptyAndMissingFiles() throws {
        XCTAssertEqual(reason(opening: []), .truncated(what: "the header"))
        XCTAssertThrowsError(try GGUFFile(url: URL(fileURLWithPath: "/nonexistent/model.gguf"))) { error in
            guard case .cannotOpen = (error as? GGUFError)?.reason else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try GGUFFile(url: FileManager.default.temporaryDirectory)) { error in
            XCTAssertEqual((error as? GGUFError)?.reason, .cannotOpen("not a regular file"))
        }
    }

    /// Cutting a valid file anywhere before the end of its last tensor must fail cleanly.
    func testTruncationAnywhere() throws {
        let good = try writeSample()
        defer { try? FileManager.default.removeItem(at: good) }
        let bytes = [UInt8](try Data(contentsOf: good))
        let file = try GGUFFile(url: good)
        let end = file.tensors.values.map { file.dataOffset + $0.offset + $0.byteCount }.max()!
        for length in 0..<end {
            XCTAssertNotNil(reason(opening: Array(bytes[..<length])), "length \(length)")
        }
        XCTAssertNoThrow(try { () throws -> Void in
            let url = temporaryFileURL()
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(bytes[..<end]).write(to: url)
            _ = try GGUFFile(url: url)
        }())
    }

    func testAbsurdCounts() {
        XCTAssertEqual(reason(opening: header(tensors: 0, keys: 1 << 60)),
                       .absurdCount(what: "the metadata key count", count: 1 << 60))
        XCTAssertEqual(reason(opening: header(tensors: .max, keys: 0)),
                       .absurdCount(what: "the tensor count", count: .max))

        var array = header(tensors: 0, keys: 1)
        array.append(ggufString: "tokenizer.ggml.tokens")
        array.append(le: GGUFValueType.array.rawValue)
        array.append(le: GGUFValueType.string.rawValue)
        array.append(le: UInt64(151936))
        array += [UInt8](repeating: 0, count: 64)
        XCTAssertEqual(reason(opening: array),
                       .absurdCount(what: "the array of metadata key 'tokenizer.ggml.tokens' count", count: 151936))

        var string = header(tensors: 0, keys: 1)
        string.append(le: UInt64.max)
        string += [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(reason(opening: string), .truncated(what: "metadata key #0"))
    }

    func testBadValues() {
        var unknownType = header(tensors: 0, keys: 1)
        unknownType.append(ggufString: "k")
        unknownType.append(le: UInt32(13))
        unknownType += [0, 0, 0, 0]
        XCTAssertEqual(reason(opening: unknownType), .unknownValueType(key: "k", type: 13))

        var badUTF8 = header(tensors: 0, keys: 1)
        badUTF8.append(le: UInt64(2))
        badUTF8 += [0xC3, 0x28]
        badUTF8.append(le: GGUFValueType.uint8.rawValue)
        badUTF8 += [0, 0, 0, 0]
        XCTAssertEqual(reason(opening: badUTF8), .invalidUTF8(what: "metadata key #0"))

        var duplicate = header(tensors: 0, keys: 2)
        for _ in 0..<2 {
            duplicate.append(ggufString: "k")
            duplicate.append(le: GGUFValueType.uint8.rawValue)
            duplicate.append(7)
        }
        XCTAssertEqual(reason(opening: duplicate), .duplicateKey("k"))

        var deep = header(tensors: 0, keys: 1)
        deep.append(ggufString: "deep")
        deep.append(le: GGUFValueType.array.rawValue)
        for _ in 0..<20 {
            deep.append(le: GGUFValueType.array.rawValue)
            deep.append(le: UInt64(1))
        }
        deep += [UInt8](repeating: 0, count: 64)
        XCTAssertEqual(reason(opening: deep), .nestingTooDeep(key: "deep"))

        var alignment = header(tensors: 0, keys: 1)
        alignment.append(ggufString: "general.alignment")
        alignment.append(le: GGUFValueType.uint32.rawValue)
        alignment.append(le: UInt32(48))
        XCTAssertEqual(reason(opening: alignment), .badAlignment(48))
    }

    /// One tensor info followed by `dataBytes` bytes of data (after padding to 32).
    func fileWithTensor(_ info: [UInt8], dataBytes: Int = 128) -> [UInt8] {
        var b = header(tensors: 1, keys: 0) + info
        b.pad(to: 32)
        return b + [UInt8](repeating: 0, count: dataBytes)
    }

    func testBadTensors() {
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [4, 4], type: 3, offset: 0))),
                       .unsupportedTensorType(tensor: "w", type: 3))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [4, 4], type: 999, offset: 0))),
                       .unsupportedTensorType(tensor: "w", type: 999))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [1, 1, 1, 1, 1], type: 0, offset: 0))),
                       .badShape(tensor: "w", dimensions: [1, 1, 1, 1]))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [1 << 40, 1 << 40], type: 0, offset: 0))),
                       .badShape(tensor: "w", dimensions: [1 << 40, 1 << 40]))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [33, 1], type: 8, offset: 0))),
                       .badShape(tensor: "w", dimensions: [33, 1]))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [16, 16], type: 0, offset: 0))),
                       .tensorOutOfBounds(tensor: "w"))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [4], type: 0, offset: 1 << 62))),
                       .tensorOutOfBounds(tensor: "w"))
        XCTAssertEqual(reason(opening: fileWithTensor(tensorInfo("w", dims: [4], type: 0, offset: 4))),
                       .misalignedTensor(tensor: "w", offset: 4))

        var twice = header(tensors: 2, keys: 0)
        twice += tensorInfo("w", dims: [4], type: 0, offset: 0) + tensorInfo("w", dims: [4], type: 0, offset: 32)
        twice.pad(to: 32)
        twice += [UInt8](repeating: 0, count: 64)
        XCTAssertEqual(reason(opening: twice), .duplicateTensor("w"))
    }
}
