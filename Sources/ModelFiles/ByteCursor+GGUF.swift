/// GGUF's own values read through the shared `ByteCursor`: every shortfall becomes a `GGUFError` naming what was
/// being read, so a truncated or lying file never crashes.
extension ByteCursor {
    /// Arrays may nest, but not without bound (a hostile file could recurse us off the stack).
    static let maxGGUFNesting = 8

    func error(_ reason: GGUFError.Reason) -> GGUFError {
        GGUFError(path: file, reason: reason)
    }

    @inline(__always)
    private mutating func scalar<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        do {
            return try read(T.self)
        } catch {
            throw self.error(.truncated(what: what()))
        }
    }

    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try scalar(UInt32.self, what()) }
    mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try scalar(UInt64.self, what()) }

    /// A GGUF string: u64 byte length, then that many UTF-8 bytes.
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try u64(what())
        guard length <= UInt64(remaining), let utf8 = try? readBytes(Int(length)) else {
            throw error(.truncated(what: what()))
        }
        guard let s = String(validating: utf8, as: UTF8.self) else { throw error(.invalidUTF8(what: what())) }
        return s
    }

    /// A metadata value of type id `typeID` (the key is only for messages).
    mutating func value(typeID: UInt32, key: String, depth: Int = 0) throws -> GGUFValue {
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw error(.unknownValueType(key: key, type: typeID))
        }
        let what = "the value of metadata key '\(key)'"
        switch type {
        case .uint8: return .uint8(try scalar(UInt8.self, what))
        case .int8: return .int8(try scalar(Int8.self, what))
        case .uint16: return .uint16(try scalar(UInt16.self, what))
        case .int16: return .int16(try scalar(Int16.self, what))
        case .uint32: return .uint32(try scalar(UInt32.self, what))
        case .int32: return .int32(try scalar(Int32.self, what))
        case .float32: return .float32(Float(bitPattern: try scalar(UInt32.self, what)))
        case .bool: return .bool(try scalar(UInt8.self, what) != 0)
        case .string: return .string(try string(what))
        case .array: return .array(try array(key: key, depth: depth + 1))
        case .uint64: return .uint64(try scalar(UInt64.self, what))
        case .int64: return .int64(try scalar(Int64.self, what))
        case .float64: return .float64(Double(bitPattern: try scalar(UInt64.self, what)))
        }
    }

    /// An array value: u32 element type, u64 count, elements.
    mutating func array(key: String, depth: Int) throws -> GGUFArray {
        guard depth <= Self.maxGGUFNesting else { throw error(.nestingTooDeep(key: key)) }
        let what = "the array of metadata key '\(key)'"
        let typeID = try u32(what)
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw error(.unknownValueType(key: key, type: typeID))
        }
        let count = try u64(what)
        // Every element takes at least one byte (strings 8, arrays 12), so a count beyond that is a lie.
        let minimumSize: UInt64 = switch type {
        case .string: 8
        case .array: 12
        default: UInt64(type.fixedSize!)
        }
        guard count <= UInt64(remaining) / minimumSize else { throw error(.absurdCount(what: what + " count", count: count)) }
        let n = Int(count)
        switch type {
        case .uint8: return .uint8(plain(n))
        case .int8: return .int8(plain(n))
        case .uint16: return .uint16(plain(n))
        case .int16: return .int16(plain(n))
        case .uint32: return .uint32(plain(n))
        case .int32: return .int32(plain(n))
        case .float32: return .float32(plain(n))
        case .bool: return .bool((plain(n) as [UInt8]).map { $0 != 0 })
        case .uint64: return .uint64(plain(n))
        case .int64: return .int64(plain(n))
        case .float64: return .float64(plain(n))
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(n)
            for i in 0..<n { strings.append(try string("element \(i) of \(what)")) }
            return .string(strings)
        case .array:
            var arrays: [GGUFArray] = []
            for _ in 0..<n { arrays.append(try array(key: key, depth: depth + 1)) }
            return .array(arrays)
        }
    }

    /// `n` fixed-size elements copied straight out of the file (the caller checked they fit; the host is little-endian).
    private mutating func plain<T>(_ n: Int) -> [T] {
        guard n > 0, let source = try? readBytes(n * MemoryLayout<T>.stride) else { return [] }
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source.baseAddress!, byteCount: source.count)
            initialized = n
        }
    }
}
