/// Reads little-endian values one after another from the untrusted bytes of a mapped model file; both the e5 and
/// the GGUF reader use it. Every read checks the bytes left first and throws `Shortfall` instead of reading past
/// the end; each reader maps that to its own typed error (`E5ModelFileError.truncated`, `GGUFError` `.truncated`).
struct ByteCursor {
    /// A read needed `needed` bytes at `offset` but the file ends first.
    struct Shortfall: Error {
        let needed: Int
        let offset: Int
    }

    let bytes: UnsafeRawBufferPointer
    /// The file's path, for error messages.
    let file: String
    /// Where we are, for error messages ("header", "tokenizer pieces", …).
    var section: String
    /// Offset of the next byte to read.
    private(set) var offset: Int

    init(bytes: UnsafeRawBufferPointer, file: String, section: String = "", offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.section = section
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Moves to `newOffset`, which the caller checked lies within the file.
    mutating func skip(to newOffset: Int) {
        offset = newOffset
    }

    /// Throws unless `count` more bytes exist.
    func require(_ count: Int) throws(Shortfall) {
        guard count >= 0, count <= remaining else { throw Shortfall(needed: count, offset: offset) }
    }

    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(Shortfall) -> T {
        try require(MemoryLayout<T>.size)
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func readFloat() throws(Shortfall) -> Float {
        Float(bitPattern: try read(UInt32.self))
    }

    /// The next `count` bytes, which stay inside the mapping.
    mutating func readBytes(_ count: Int) throws(Shortfall) -> UnsafeRawBufferPointer {
        try require(count)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    /// `count` consecutive little-endian values, copied out.
    mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws(Shortfall) -> [T] {
        let (total, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow else { throw Shortfall(needed: Int.max, offset: offset) }
        let raw = try readBytes(total)
        return (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
    }
}
