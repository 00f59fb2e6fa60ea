import Foundation
import Kernels

/// A GGUF model file (versions 2 and 3), memory-mapped: typed metadata, the tensor directory, and views of the
/// tensors where they lie. It checks every length against the bytes left, so a corrupt or truncated file gives a
/// one-line `GGUFError` instead of a crash. It knows no architectures: models read their keys and tensors by name.
public final class GGUFFile: @unchecked Sendable {
    public let url: URL
    /// GGUF format version (2 or 3).
    public let version: UInt32
    /// Every metadata entry by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensor directory by name.
    public let tensors: [String: GGUFTensorInfo]
    /// Tensor names in file order.
    public let tensorNames: [String]
    /// Alignment of the data section and of every tensor in it (`general.alignment`, default 32), in bytes.
    public let alignment: Int
    /// Absolute file offset of the data section.
    public let dataOffset: Int

    private let mapping: MappedFile

    /// The file's size in bytes.
    public var fileSize: Int { mapping.bytes.count }

    /// The whole mapped file.
    var mappedBytes: UnsafeRawBufferPointer { mapping.bytes }

    /// `general.architecture`, e.g. "qwen2", when present.
    public var architecture: String? { metadata["general.architecture"]?.stringValue }

    /// Maps and parses the file at `url`. Throws `GGUFError` for anything that is not a well-formed GGUF v2/v3 file.
    public convenience init(url: URL) throws {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(url: url)
        } catch {
            throw GGUFError(path: url.path, reason: .cannotOpen(error.reason))
        }
        try self.init(mapping: mapping)
    }

    /// Parses GGUF bytes held in memory (a fuzzer's input, a test's); `url` only names them in errors.
    public convenience init(data: Data, url: URL) throws {
        try self.init(mapping: MappedFile(copying: data, url: url))
    }

    init(mapping: MappedFile) throws {
        self.mapping = mapping
        url = mapping.url
        let path = url.path
        var cursor = ByteCursor(bytes: mapping.bytes, file: path)

        // Header: magic, u32 version, u64 tensor count, u64 metadata count.
        guard cursor.remaining >= 4 else { throw cursor.error(.truncated(what: "the header")) }
        guard mapping.bytes.prefix(4).elementsEqual("GGUF".utf8) else { throw cursor.error(.badMagic) }
        cursor.skip(to: 4)
        version = try cursor.u32("the header")
        guard version == 2 || version == 3 else { throw cursor.error(.unsupportedVersion(version)) }
        let tensorCount = try cursor.u64("the header")
        let keyCount = try cursor.u64("the header")
        // A key/value pair takes at least 8 (key length) + 4 (type) + 1 bytes; a tensor info at least 8+4+8+4+8.
        guard keyCount <= UInt64(cursor.remaining) / 13 else {
            throw cursor.error(.absurdCount(what: "the metadata key count", count: keyCount))
        }
        guard tensorCount <= UInt64(cursor.remaining) / 32 else {
            throw cursor.error(.absurdCount(what: "the tensor count", count: tensorCount))
        }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(Int(keyCount))
        for i in 0..<Int(keyCount) {
            let key = try cursor.string("metadata key #\(i)")
            let typeID = try cursor.u32("the type of metadata key '\(key)'")
            let value = try cursor.value(typeID: typeID, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else { throw cursor.error(.duplicateKey(key)) }
            keys.append(key)
        }
        self.metadata = metadata
        metadataKeys = keys

        if let value = metadata["general.alignment"] {
            guard let a = value.intValue, a > 0, a.nonzeroBitCount == 1 else {
                throw cursor.error(.badAlignment(UInt64(truncatingIfNeeded: value.intValue ?? 0)))
            }
            alignment = a
        } else {
            alignment = 32
        }

        var pending: [(name: String, dimensions: [Int], type: TensorType, offset: UInt64)] = []
        for i in 0..<Int(tensorCount) {
            pending.append(try Self.readTensorInfo(&cursor, index: i))
        }
        let rawDataOffset = (cursor.offset + alignment - 1) / alignment * alignment
        dataOffset = rawDataOffset
        if tensorCount > 0 && dataOffset > mapping.bytes.count {
            throw cursor.error(.truncated(what: "the padding before the data section"))
        }

        var tensors: [String: GGUFTensorInfo] = [:]
        var names: [String] = []
        for t in pending {
            let info = try Self.place(t, dataOffset: dataOffset, alignment: alignment, fileSize: mapping.bytes.count,
                                      cursor: cursor)
            guard tensors.updateValue(info, forKey: t.name) == nil else { throw cursor.error(.duplicateTensor(t.name)) }
            names.append(t.name)
        }
        self.tensors = tensors
        tensorNames = names
    }

    /// Reads one tensor info: name, u32 n_dims, n_dims × u64 dims, u32 ggml type, u64 offset.
    private static func readTensorInfo(_ cursor: inout ByteCursor, index: Int) throws
        -> (name: String, dimensions: [Int], type: TensorType, offset: UInt64)
    {
        let name = try cursor.string("tensor info #\(index)")
        let what = "the tensor info of '\(name)'"
        let dimensionCount = try cursor.u32(what)
        var raw: [UInt64] = []
        for _ in 0..<min(dimensionCount, 4) { raw.append(try cursor.u64(what)) }
        // ggml tensors have at most 4 dimensions; the element count must fit in an Int.
        var elements: Int = 1
        var dimensions: [Int] = []
        for d in raw {
            guard d <= UInt64(Int.max) else { throw cursor.error(.badShape(tensor: name, dimensions: raw)) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw cursor.error(.badShape(tensor: name, dimensions: raw)) }
            elements = product
            dimensions.append(Int(d))
        }
        guard (1...4).contains(dimensionCount) else { throw cursor.error(.badShape(tensor: name, dimensions: raw)) }
        let typeID = try cursor.u32(what)
        guard let type = TensorType(rawValue: typeID) else {
            throw cursor.error(.unsupportedTensorType(tensor: name, type: typeID))
        }
        let offset = try cursor.u64(what)
        return (name, dimensions, type, offset)
    }

    /// Checks that a tensor's rows are whole blocks and that its bytes lie inside the file.
    private static func place(_ t: (name: String, dimensions: [Int], type: TensorType, offset: UInt64),
                              dataOffset: Int, alignment: Int, fileSize: Int, cursor: ByteCursor) throws -> GGUFTensorInfo
    {
        let badShape = cursor.error(.badShape(tensor: t.name, dimensions: t.dimensions.map { UInt64($0) }))
        guard let rowBytes = t.type.byteCount(weights: t.dimensions[0]) else { throw badShape }
        // The full product fitting in an Int does not bound this one when the first dimension is 0.
        var rows = 1
        for d in t.dimensions.dropFirst() {
            let (product, overflow) = rows.multipliedReportingOverflow(by: d)
            guard !overflow else { throw badShape }
            rows = product
        }
        let (byteCount, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
        guard !overflow else { throw badShape }
        guard t.offset % UInt64(alignment) == 0 else {
            throw cursor.error(.misalignedTensor(tensor: t.name, offset: t.offset))
        }
        let available = UInt64(fileSize - dataOffset)
        guard t.offset <= available, UInt64(byteCount) <= available - t.offset else {
            throw cursor.error(.tensorOutOfBounds(tensor: t.name))
        }
        return GGUFTensorInfo(name: t.name, dimensions: t.dimensions, type: t.type, offset: Int(t.offset),
                              byteCount: byteCount)
    }

    func error(_ reason: GGUFError.Reason) -> GGUFError {
        GGUFError(path: url.path, reason: reason)
    }
}
