/// GPT-2's byte-level alphabet: every byte 0…255 is shown as one printable Unicode scalar, so a byte-level BPE
/// vocabulary can be stored as text. Printable Latin-1 bytes stand for themselves; the other 68 bytes (controls,
/// space, DEL, NBSP, soft hyphen) map in order to U+0100… (space → `Ġ` U+0120, newline → `Ċ` U+010A).
public enum ByteLevelEncoding {
    /// The scalar value that stands for each byte.
    public static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet scalar stands for, indexed by scalar value (0…323); -1 for scalars outside the alphabet.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    private static func isPrintable(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }

    /// The raw bytes a vocabulary entry stands for, or nil when it contains a scalar outside the alphabet.
    public static func bytes(ofTokenText text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        return appendBytes(ofTokenText: text, to: &bytes) ? bytes : nil
    }

    /// Appends the raw bytes byte-level `text` stands for; false, with `out` unchanged, when a scalar is outside
    /// the alphabet.
    static func appendBytes(ofTokenText text: String, to out: inout [UInt8]) -> Bool {
        if let done = text.utf8.withContiguousStorageIfAvailable({ appendBytes(ofTokenUTF8: $0, to: &out) }) {
            return done
        }
        return Array(text.utf8).withUnsafeBufferPointer { appendBytes(ofTokenUTF8: $0, to: &out) }
    }

    /// The same, for byte-level text given as UTF-8. The alphabet is U+0021…U+0143, so every scalar in it takes
    /// one or two UTF-8 bytes; anything longer is not in it.
    static func appendBytes(ofTokenUTF8 utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let start = out.count
        var i = 0
        while i < utf8.count {
            let lead = utf8[i]
            var value = -1
            if lead < 0x80 {
                value = Int(lead)
                i += 1
            } else if lead & 0xE0 == 0xC0 && i + 1 < utf8.count {
                value = Int(lead & 0x1F) << 6 | Int(utf8[i + 1] & 0x3F)
                i += 2
            }
            guard value >= 0, value < byteForScalar.count, byteForScalar[value] >= 0 else {
                out.removeSubrange(start...)
                return false
            }
            out.append(UInt8(byteForScalar[value]))
        }
        return true
    }

    /// The vocabulary text for raw bytes (the inverse of `bytes(ofTokenText:)`).
    public static func tokenText(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(Unicode.Scalar(scalarForByte[Int(byte)])!) }
        return String(text)
    }
}
