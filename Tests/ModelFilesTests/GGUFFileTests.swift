import Foundation
import Kernels
import XCTest
@testable import ModelFiles

/// A small valid file with every metadata type and three tensors (the caller deletes it).
func writeSample(version: UInt32 = 3, alignment: Int = 32) throws -> URL {
    var writer = GGUFWriter(version: version, alignment: alignment)
    writer.add("general.architecture", .string("test"))
    for (key, value) in GGUFFileTests.everyType { writer.add(key, value) }
    writer.addTensor("norm.weight", dimensions: [4], floats: [1, 2, 3, 4])
    writer.addTensor("matrix.weight", dimensions: [32, 3], type: .q8_0, data: GGUFFileTests.q8Rows([1, 2, 3]))
    writer.addTensor("cube", dimensions: [2, 2, 2], floats: (0..<8).map(Float.init))
    let url = temporaryFileURL()
    try writer.write(to: url)
    return url
}

/// Round trips through `GGUFWriter`: every metadata type, nested arrays, tensors, alignment and both versions.
final class GGUFFileTests: XCTestCase {
    static let everyType: [(String, GGUFValue)] = [
        ("t.u8", .uint8(200)), ("t.i8", .int8(-7)), ("t.u16", .uint16(65000)), ("t.i16", .int16(-30000)),
        ("t.u32", .uint32(4_000_000_000)), ("t.i32", .int32(-2_000_000_000)), ("t.f32", .float32(1e-6)),
        ("t.bool", .bool(true)), ("t.string", .string("qwen2 你好")), ("t.u64", .uint64(1 << 40)),
        ("t.i64", .int64(-(1 << 40))), ("t.f64", .float64(0.1)),
        ("t.strings", .array(.string(["a", "", "Ġthe", "<|im_end|>"]))),
        ("t.ints", .array(.int32([1, -2, 3]))),
        ("t.floats", .array(.float32([0.5, -1.25]))),
        ("t.bools", .array(.bool([true, false]))),
        ("t.nested", .array(.array([.uint8([1, 2]), .uint8([]), .uint8([3])]))),
        ("t.empty", .array(.uint64([]))),
    ]

    /// Q8_0 rows of 32 weights: row r has scale 1 and q[j] = j - 16 + r, so w = j - 16 + r.
    static func q8Rows(_ rows: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for r in rows {
            bytes.append(le: Float16(1).bitPattern)
            bytes += (0..<32).map { UInt8(bitPattern: Int8($0 - 16 + r)) }
        }
        return bytes
    }

    func sample(version: UInt32 = 3, alignment: Int = 32) throws -> URL {
        let url = try writeSample(version: version, alignment: alignment)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testEveryMetadataTypeRoundTrips() throws {
        for version: UInt32 in [2, 3] {
            let file = try GGUFFile(url: try sample(version: version))
            XCTAssertEqual(file.version, version)
            XCTAssertEqual(file.architecture, "test")
            for (key, value) in Self.everyType {
                XCTAssertEqual(file.metadata[key], value, key)
            }
            XCTAssertEqual(file.metadataKeys, ["general.architecture"] + Self.everyType.map(\.0))
        }
    }

    func testTypedAccessors() throws {
        let file = try GGUFFile(url: try sample())
        XCTAssertEqual(try file.string("t.string"), "qwen2 你好")
        XCTAssertEqual(try file.int("t.u32"), 4_000_000_000)
        XCTAssertEqual(try file.int("t.i8"), -7)
        XCTAssertEqual(try file.float("t.f32"), 1e-6)
        XCTAssertEqual(try file.float("t.f64"), 0.1)
        XCTAssertEqual(try file.bool("t.bool"), true)
        XCTAssertEqual(try file.stringArray("t.strings"), ["a", "", "Ġthe", "<|im_end|>"])
        XCTAssertEqual(try file.intArray("t.ints"), [1, -2, 3])
        XCTAssertEqual(try file.floatArray("t.floats"), [0.5, -1.25])
        XCTAssertThrowsError(try file.string("t.u8")) { error in
            XCTAssertEqual((error as? GGUFError)?.reason, .wrongValueType(key: "t.u8", expected: "string", found: "u8"))
        }
        XCTAssertThrowsError(try file.int("nope")) { error in
            XCTAssertEqual((error as? GGUFError)?.reason, .missingKey("nope"))
            XCTAssertTrue("\(error)".contains(file.url.path))
        }
    }

    func testTensorDirectoryAndViews() throws {
        for alignment in [32, 64, 4] {
            let file = try GGUFFile(url: try sample(alignment: alignment))
            XCTAssertEqual(file.alignment, alignment)
            XCTAssertEqual(file.dataOffset % alignment, 0)
            XCTAssertEqual(file.tensorNames, ["norm.weight", "matrix.weight", "cube"])
            XCTAssertEqual(Array(try file.floats(named: "norm.weight")), [1, 2, 3, 4])
            XCTAssertEqual(Array(try file.floats(named: "cube")), (0..<8).map(Float.init))

            let info = try file.tensor(named: "matrix.weight")
            XCTAssertEqual(info.dimensions, [32, 3])
            XCTAssertEqual(info.type, .q8_0)
            XCTAssertEqual(info.byteCount, 3 * 34)
            let matrix = try file.weightMatrix(named: "matrix.weight")
            XCTAssertEqual(matrix.rows, 3)
            XCTAssertEqual(matrix.columns, 32)
            var row = [Float](repeating: 0, count: 32)
            matrix.referenceDequantizeRow(2, into: &row)
            XCTAssertEqual(row, (0..<32).map { Float($0 - 16 + 3) })

            let vector = try file.weightMatrix(named: "norm.weight")
            XCTAssertEqual(vector.rows, 1)
            XCTAssertEqual(vector.columns, 4)
            XCTAssertThrowsError(try file.weightMatrix(named: "cube"))
            XCTAssertThrowsError(try file.floats(named: "matrix.weight"))
            XCTAssertThrowsError(try file.tensor(named: "missing")) { error in
                XCTAssertEqual((error as? GGUFError)?.reason, .missingTensor("missing"))
            }
        }
    }

    func testFileWithoutTensors() throws {
        var writer = GGUFWriter()
        writer.add("tokenizer.ggml.tokens", .array(.string(["x"])))
        let url = temporaryFileURL()
        try writer.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try GGUFFile(url: url)
        XCTAssertTrue(file.tensors.isEmpty)
        XCTAssertEqual(try file.stringArray("tokenizer.ggml.tokens"), ["x"])
    }

    func testTypeNamesComeFromTheValueTypeIds() {
        XCTAssertEqual(GGUFValue.uint32(7).typeName, "u32")
        XCTAssertEqual(GGUFValue.array(.string(["a"])).typeName, "array of string")
        XCTAssertEqual(GGUFValue.array(.array([.float32([1])])).typeName, "array of array")
        XCTAssertEqual(GGUFValue.float64(1).type, .float64)
        XCTAssertEqual(GGUFArray.int8([1]).elementType, .int8)
    }
}
