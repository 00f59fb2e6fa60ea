import ModelFiles

/// Exact-bytes lookup from a piece's UTF-8 to its id: an open-addressing hash table over the vocabulary blob,
/// built once. Hashing is FNV-1a so a caller can extend a hash byte by byte while it grows a candidate piece.
struct PieceTable: Sendable {
    private let blob: [UInt8]
    private let offsets: [UInt32]
    /// Slot → piece id + 1; 0 marks an empty slot. Capacity is a power of two, at most half full.
    private let slots: [Int32]
    private let mask: Int
    /// Length of the longest piece in bytes; longer candidates need not be looked up.
    let longestPiece: Int

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func extend(_ hash: UInt64, with byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* fnvPrime }

    init(vocabulary: UnigramVocabulary) {
        let blob = vocabulary.blob, offsets = vocabulary.pieceOffsets
        self.blob = blob
        self.offsets = offsets
        /// Whether piece `id` has the bytes `blob[start ..< start + count]`.
        func bytesEqual(_ id: Int, _ start: Int, _ count: Int) -> Bool {
            let pieceStart = Int(offsets[id])
            guard Int(offsets[id + 1]) - pieceStart == count else { return false }
            for i in 0..<count where blob[pieceStart + i] != blob[start + i] { return false }
            return true
        }
        var capacity = 16
        while capacity < vocabulary.pieceCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Int32](repeating: 0, count: capacity)
        var longest = 0
        for id in 0..<vocabulary.pieceCount {
            let start = Int(offsets[id]), end = Int(offsets[id + 1])
            longest = max(longest, end - start)
            var hash = Self.fnvOffset
            for i in start..<end { hash = Self.extend(hash, with: blob[i]) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            // A repeated piece keeps its first id.
            while slots[slot] != 0 {
                if bytesEqual(Int(slots[slot]) - 1, start, end - start) { break }
                slot = (slot + 1) & mask
            }
            if slots[slot] == 0 { slots[slot] = Int32(id + 1) }
        }
        self.slots = slots
        longestPiece = longest
    }

    /// The id of the piece whose bytes are `bytes[start ..< start + count]`, given their FNV-1a `hash`.
    @inline(__always)
    func id(hash: UInt64, bytes: UnsafeBufferPointer<UInt8>, start: Int, count: Int) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let id = entry - 1
            let pieceStart = Int(offsets[id])
            if Int(offsets[id + 1]) - pieceStart == count {
                var same = true
                for i in 0..<count where blob[pieceStart + i] != bytes[start + i] { same = false; break }
                if same { return id }
            }
            slot = (slot + 1) & mask
        }
    }
}
