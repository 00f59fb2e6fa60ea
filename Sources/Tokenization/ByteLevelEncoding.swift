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
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 324 else { return nil }
            let byte = byteForScalar[Int(scalar.value)]
            guard byte >= 0 else { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }

    /// The vocabulary text for raw bytes (the inverse of `bytes(ofTokenText:)`).
    public static func tokenText(of bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(Unicode.Scalar(scalarForByte[Int(byte)])!) }
        return String(text)
    }
}
