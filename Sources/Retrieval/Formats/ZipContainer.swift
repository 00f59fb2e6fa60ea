import CInflate
import Foundation

/// The ZIP container of a docx or EPUB file: parts by path, each inflated with its CRC checked and its
/// size bounded, every failure an `UnreadableDocument` naming the format.
///
/// Our own reader of the central directory over zlib's raw inflate, every offset and length checked
/// against the bytes there are. ZIPFoundation, tried first, traps on a directory pointing past the end of
/// in-memory data and loops forever on a deflate stream cut short (both found by Fuzz/fuzz-docx and
/// fuzz-epub): a hostile file must cost a one-line reason, never the process.
struct ZipContainer {
    /// One central-directory record: what a part is and where its bytes are.
    struct Entry {
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let format: DocumentFormat
    let entries: [String: Entry]

    init(_ data: Data, format: DocumentFormat) throws {
        guard data.starts(with: DocumentFormat.zipMagic) else {
            throw UnreadableDocument.damaged(format, detail: "not a ZIP container: the file does not start with PK")
        }
        self.format = format
        bytes = [UInt8](data)
        entries = try Self.directory(of: bytes, format: format)
    }

    func contains(_ path: String) -> Bool { entries[path] != nil }

    /// The inflated bytes of the part at `path`.
    func data(_ path: String) throws -> Data {
        guard let entry = entries[path] else { throw UnreadableDocument.missingPart(format, part: path) }
        guard UInt64(entry.uncompressedSize) <= PartLimits.maximumBytes else {
            throw UnreadableDocument.partTooLarge(format, part: path, bytes: UInt64(entry.uncompressedSize))
        }
        func damaged(_ detail: String) -> UnreadableDocument { .damaged(format, detail: "\(path) \(detail)") }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, read32(header) == 0x0403_4b50 else { throw damaged("has no local header") }
        let start = header + 30 + Int(read16(header + 26)) + Int(read16(header + 28))
        guard start + entry.compressedSize <= bytes.count else { throw damaged("runs past the end of the file") }
        let stored = bytes[start..<start + entry.compressedSize]
        let inflated: [UInt8]
        switch entry.method {
        case 0: inflated = Array(stored)
        case 8: inflated = try Self.inflate(stored, expected: entry.uncompressedSize) ?? { throw damaged("cannot be inflated: its deflate data is corrupt or cut short") }()
        default: throw damaged("uses compression method \(entry.method), which docx and EPUB never do")
        }
        guard inflated.count == entry.uncompressedSize else { throw damaged("inflates to \(inflated.count) bytes, not the \(entry.uncompressedSize) its directory says") }
        let crc = inflated.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        guard crc == entry.crc32 else { throw damaged("cannot be inflated: checksum mismatch") }
        return Data(inflated)
    }

    /// The part at `path` parsed as XML.
    func xml(_ path: String) throws -> XMLTree {
        let bytes = try data(path)
        do {
            return try XMLTree(bytes)
        } catch let error as XMLTreeError {
            throw UnreadableDocument.damaged(format, detail: "\(path): \(error.description)")
        }
    }

    func read16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
    func read32(_ offset: Int) -> UInt32 { UInt32(read16(offset)) | UInt32(read16(offset + 2)) << 16 }

    /// The entries of the central directory that the end-of-central-directory record points to.
    static func directory(of bytes: [UInt8], format: DocumentFormat) throws -> [String: Entry] {
        func damaged(_ detail: String) -> UnreadableDocument { .damaged(format, detail: detail) }
        let probe = ZipContainer(unchecked: bytes, format: format)
        // The end record is 22 bytes plus a comment of at most 65,535, at the very end.
        let earliest = max(0, bytes.count - 22 - 65_535)
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: earliest, by: -1).first(where: { probe.read32($0) == 0x0605_4b50 }) else {
            throw damaged("not a complete ZIP archive: no central directory")
        }
        let count = Int(probe.read16(end + 10))
        let size = Int(probe.read32(end + 12)), offset = Int(probe.read32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw damaged("a ZIP64 archive, which docx and EPUB files of this size never need")
        }
        guard offset + size <= end else { throw damaged("its central directory lies outside the file") }
        var entries: [String: Entry] = [:]
        var cursor = offset
        for _ in 0..<count {
            guard cursor + 46 <= offset + size, probe.read32(cursor) == 0x0201_4b50 else { throw damaged("its central directory is cut short") }
            let nameLength = Int(probe.read16(cursor + 28))
            let next = cursor + 46 + nameLength + Int(probe.read16(cursor + 30)) + Int(probe.read16(cursor + 32))
            guard next <= offset + size else { throw damaged("its central directory is cut short") }
            let name = String(decoding: bytes[cursor + 46..<cursor + 46 + nameLength], as: UTF8.self)
            entries[name] = entries[name] ?? Entry(
                method: probe.read16(cursor + 10), crc32: probe.read32(cursor + 16),
                compressedSize: Int(probe.read32(cursor + 20)), uncompressedSize: Int(probe.read32(cursor + 24)),
                localHeaderOffset: Int(probe.read32(cursor + 42)))
            cursor = next
        }
        return entries
    }

    private init(unchecked bytes: [UInt8], format: DocumentFormat) {
        self.bytes = bytes; self.format = format; entries = [:]
    }

    /// Raw deflate (`wbits` −15, as ZIP stores it) of `input` into at most `expected` bytes; nil unless the
    /// stream ends exactly there: corrupt data, a stream cut short, or one that inflates past what it claims.
    static func inflate(_ input: ArraySlice<UInt8>, expected: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: expected + 1)  // one spare byte: a stream that goes on is caught
        var input = Array(input)
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CInflate.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else { return nil }
        output.removeLast()
        return output
    }
}
