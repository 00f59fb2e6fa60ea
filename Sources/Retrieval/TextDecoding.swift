import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The text encodings rag reads. Everything else is skipped with a reason.
public enum TextEncoding: String, Sendable {
    case utf8 = "utf-8", utf8BOM = "utf-8-bom", utf16 = "utf-16", gb18030 = "gb18030"
    /// PDF, docx and EPUB: the format defines how its text is encoded; nothing was detected.
    case container = "container"
}

/// Why a file's bytes could not become text; each reads as one line after the file's path.
public enum UndecodableText: Error, Equatable, CustomStringConvertible {
    case empty
    case binary
    case unknownEncoding

    public var description: String {
        switch self {
        case .empty: return "empty file"
        case .binary: return "binary file (contains NUL bytes or control characters)"
        case .unknownEncoding: return "not UTF-8, UTF-16 or GB18030 text"
        }
    }
}

/// Detects the encoding of a text file and decodes it: UTF-8 (with or without BOM), UTF-16 with BOM,
/// else GB18030 (a superset of GBK and GB2312) through glibc's iconv, which is always present — Foundation
/// on Linux has no GB18030 decoder.
public enum TextDecoding {
    public static func decode(_ data: Data) throws -> (text: String, encoding: TextEncoding) {
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { throw UndecodableText.empty }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes[3...], as: UTF8.self) else { throw UndecodableText.unknownEncoding }
            return (try checkedText(text), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else { throw UndecodableText.unknownEncoding }
            return (try checkedText(text), .utf16)
        }
        if bytes.contains(0) { throw UndecodableText.binary }
        if let text = String(validating: bytes, as: UTF8.self) { return (try checkedText(text), .utf8) }
        guard let text = gb18030(bytes) else { throw UndecodableText.unknownEncoding }
        return (try checkedText(text), .gb18030)
    }

    /// Text with control characters other than tab, newlines and form feed is not prose: a binary file
    /// that happened to decode.
    static func checkedText(_ text: String) throws -> String {
        var controls = 0
        for s in text.unicodeScalars where s.value < 0x20 && s != "\t" && s != "\n" && s != "\r" && s != "\u{0C}" {
            controls += 1
        }
        if controls > 0 { throw UndecodableText.binary }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { throw UndecodableText.empty }
        return text
    }

    /// Strict GB18030 → UTF-8 with iconv; nil on any invalid or truncated sequence.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)  // GB18030 ≤ 4 bytes → UTF-8 ≤ 4 bytes; 2-byte → 3
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                guard result != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(validating: output[..<produced], as: UTF8.self)
    }
}
