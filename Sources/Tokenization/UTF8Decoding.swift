/// Small UTF-8 facts shared by the detokenizers.
enum UTF8Decoding {
    /// Bytes in the sequence a lead byte starts (1 for ASCII and for bytes that cannot start a sequence).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 1
        }
    }

    /// How many bytes at the end of `bytes` are the start of a character that is not complete yet (0…3).
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var continuations = 0
        while i >= 0 && continuations < 3 && bytes[i] & 0xC0 == 0x80 {
            continuations += 1
            i -= 1
        }
        guard i >= 0 else { return 0 }
        let needed = sequenceLength(lead: bytes[i])
        return needed > continuations + 1 ? continuations + 1 : 0
    }
}
