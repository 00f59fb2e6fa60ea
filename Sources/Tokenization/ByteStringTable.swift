/// An immutable hash table from byte strings to ids, with all keys stored in one blob: building it for 151936
/// vocabulary entries takes milliseconds and no per-key allocations (a `[String: Int]` spends most of its time
/// hashing Unicode, and treats canonically equivalent strings as one key).
struct ByteStringTable: Sendable {
    /// All keys back to back; key `i` is `blob[starts[i]..<starts[i + 1]]`.
    let blob: [UInt8]
    let starts: [Int32]
    /// Open addressing: each slot holds a key index, or -1.
    private let slots: [Int32]
    private let mask: Int

    /// Indexes `keys` by position; when a key repeats, the first occurrence wins.
    init(keys: [[UInt8]]) {
        var blob: [UInt8] = []
        blob.reserveCapacity(keys.reduce(0) { $0 + $1.count })
        var starts: [Int32] = [0]
        starts.reserveCapacity(keys.count + 1)
        for key in keys {
            blob += key
            starts.append(Int32(blob.count))
        }
        self.init(blob: blob, starts: starts)
    }

    /// Indexes keys already packed into a blob with `starts.count - 1` entries.
    init(blob: [UInt8], starts: [Int32]) {
        self.blob = blob
        self.starts = starts
        var capacity = 16
        while capacity < 2 * (starts.count - 1) { capacity *= 2 }
        mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        blob.withUnsafeBufferPointer { bytes in
            for i in 0..<(starts.count - 1) {
                let key = UnsafeBufferPointer(rebasing: bytes[Int(starts[i])..<Int(starts[i + 1])])
                var slot = Self.hash(key) & (capacity - 1)
                while true {
                    let occupant = slots[slot]
                    if occupant < 0 { slots[slot] = Int32(i); break }
                    if Self.equal(key, bytes, Int(starts[Int(occupant)]), Int(starts[Int(occupant) + 1])) { break }
                    slot = (slot + 1) & (capacity - 1)
                }
            }
        }
        self.slots = slots
    }

    var count: Int { starts.count - 1 }

    /// The bytes of key `i`.
    func key(_ i: Int) -> ArraySlice<UInt8> { blob[Int(starts[i])..<Int(starts[i + 1])] }

    /// The index of `key`, if present.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        blob.withUnsafeBufferPointer { bytes in
            var slot = Self.hash(key) & mask
            while true {
                let occupant = slots[slot]
                if occupant < 0 { return nil }
                if Self.equal(key, bytes, Int(starts[Int(occupant)]), Int(starts[Int(occupant) + 1])) {
                    return Int(occupant)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func index(of key: some Collection<UInt8>) -> Int? {
        let bytes = Array(key)
        return bytes.withUnsafeBufferPointer { index(of: $0) }
    }

    /// FNV-1a, 64-bit, folded: keys are short and this only has to spread them over the slots.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x0100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ blob: UnsafeBufferPointer<UInt8>,
                              _ start: Int, _ end: Int) -> Bool
    {
        guard end - start == key.count else { return false }
        for k in 0..<key.count where key[k] != blob[start + k] { return false }
        return true
    }
}
