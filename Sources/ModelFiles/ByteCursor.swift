/// Reads little-endian values one after another from untrusted bytes. Every read checks the bytes left first
/// and throws `E5ModelFileError.truncated` (naming `section`) instead of reading past the end.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    let file: String
    /// Where we are, for error messages ("header", "tokenizer pieces", …).
    var section: String
    /// Offset of the next byte to read.
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, file: String, section: String, offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.section = section
        self.offset = offset
    }

    var bytesLeft: Int { bytes.count - offset }

    /// Throws unless `count` more bytes exist.
    func require(_ count: Int) throws {
        guard count >= 0, count <= bytesLeft else {
            throw E5ModelFileError.truncated(file: file, section: section, needed: count, offset: offset,
                                             fileSize: bytes.count)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try require(MemoryLayout<T>.size)
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func readFloat() throws -> Float {
        Float(bitPattern: try read(UInt32.self))
    }

    /// A signed 32-bit count that must lie in `0...limit`.
    mutating func readCount(_ what: String, limit: Int) throws -> Int {
        let value = Int(try read(Int32.self))
        guard value >= 0, value <= limit else {
            throw E5ModelFileError.corrupt(file: file, detail: "\(what) is \(value), expected 0…\(limit)")
        }
        return value
    }

    /// The next `count` bytes, which stay inside the mapping.
    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        try require(count)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// `count` consecutive little-endian values, copied out.
    mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws -> [T] {
        let (total, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow else { try require(Int.max); return [] }
        let raw = try readBytes(total)
        return (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
    }
}
