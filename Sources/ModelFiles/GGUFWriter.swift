import Foundation
import Kernels

/// Writes small GGUF files: tests build tiny models and vocabularies with it instead of shipping binaries.
/// Everything is kept in memory, so it is meant for kilobytes, not for real models.
public struct GGUFWriter {
    public var version: UInt32
    /// Padding unit of the data section; written as `general.alignment` when it is not the default 32.
    public var alignment: Int
    private var entries: [(key: String, value: GGUFValue)] = []
    private var tensors: [(name: String, dimensions: [Int], type: TensorType, data: [UInt8])] = []

    public init(version: UInt32 = 3, alignment: Int = 32) {
        self.version = version
        self.alignment = alignment
    }

    public mutating func add(_ key: String, _ value: GGUFValue) {
        entries.append((key, value))
    }

    /// Adds a tensor with ggml dimensions (`dimensions[0]` = row length) and its encoded bytes.
    public mutating func addTensor(_ name: String, dimensions: [Int], type: TensorType, data: [UInt8]) {
        tensors.append((name, dimensions, type, data))
    }

    /// Adds an F32 tensor.
    public mutating func addTensor(_ name: String, dimensions: [Int], floats: [Float]) {
        addTensor(name, dimensions: dimensions, type: .f32, data: floats.withUnsafeBytes { Array($0) })
    }

    /// The complete file.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        var allEntries = entries
        if alignment != 32 && !entries.contains(where: { $0.key == "general.alignment" }) {
            allEntries.append(("general.alignment", .uint32(UInt32(alignment))))
        }
        out.append(le: version)
        out.append(le: UInt64(tensors.count))
        out.append(le: UInt64(allEntries.count))
        for (key, value) in allEntries {
            out.append(ggufString: key)
            out.append(le: value.type.rawValue)
            Self.encode(value, into: &out)
        }
        var offset = 0
        var offsets: [Int] = []
        for t in tensors {
            offsets.append(offset)
            offset = (offset + t.data.count + alignment - 1) / alignment * alignment
        }
        for (t, o) in zip(tensors, offsets) {
            out.append(ggufString: t.name)
            out.append(le: UInt32(t.dimensions.count))
            for d in t.dimensions { out.append(le: UInt64(d)) }
            out.append(le: t.type.rawValue)
            out.append(le: UInt64(o))
        }
        out.pad(to: alignment)
        for t in tensors {
            out += t.data
            out.pad(to: alignment)
        }
        return out
    }

    public func write(to url: URL) throws {
        try Data(bytes()).write(to: url)
    }

    static func encode(_ value: GGUFValue, into out: inout [UInt8]) {
        switch value {
        case .uint8(let v): out.append(v)
        case .int8(let v): out.append(UInt8(bitPattern: v))
        case .uint16(let v): out.append(le: v)
        case .int16(let v): out.append(le: v)
        case .uint32(let v): out.append(le: v)
        case .int32(let v): out.append(le: v)
        case .float32(let v): out.append(le: v.bitPattern)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let s): out.append(ggufString: s)
        case .array(let a): encode(a, into: &out)
        case .uint64(let v): out.append(le: v)
        case .int64(let v): out.append(le: v)
        case .float64(let v): out.append(le: v.bitPattern)
        }
    }

    static func encode(_ array: GGUFArray, into out: inout [UInt8]) {
        func elements<T>(_ type: GGUFValueType, _ items: [T], _ wrap: (T) -> GGUFValue) {
            out.append(le: type.rawValue)
            out.append(le: UInt64(items.count))
            for item in items { encode(wrap(item), into: &out) }
        }
        switch array {
        case .uint8(let a): elements(.uint8, a, GGUFValue.uint8)
        case .int8(let a): elements(.int8, a, GGUFValue.int8)
        case .uint16(let a): elements(.uint16, a, GGUFValue.uint16)
        case .int16(let a): elements(.int16, a, GGUFValue.int16)
        case .uint32(let a): elements(.uint32, a, GGUFValue.uint32)
        case .int32(let a): elements(.int32, a, GGUFValue.int32)
        case .float32(let a): elements(.float32, a, GGUFValue.float32)
        case .bool(let a): elements(.bool, a, GGUFValue.bool)
        case .string(let a): elements(.string, a, GGUFValue.string)
        case .array(let a): elements(.array, a, GGUFValue.array)
        case .uint64(let a): elements(.uint64, a, GGUFValue.uint64)
        case .int64(let a): elements(.int64, a, GGUFValue.int64)
        case .float64(let a): elements(.float64, a, GGUFValue.float64)
        }
    }
}

extension [UInt8] {
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(ggufString s: String) {
        append(le: UInt64(s.utf8.count))
        append(contentsOf: s.utf8)
    }

    mutating func pad(to alignment: Int) {
        while count % alignment != 0 { append(0) }
    }
}
