import Foundation

/// Writes tiny but complete `E5S1` files for tests: a 1-layer encoder with hidden size 32, a handful of pieces and
/// normalisation entries, every tensor present, data 64-byte aligned as in the real file.
struct E5FileWriter {
    var hidden = 32, layers = 1, heads = 2, intermediate = 64, vocabularyRows = 8, positions = 8, types = 2
    var pieces: [(String, Float)] = [("<s>", 0), ("<pad>", 0), ("</s>", 0), ("<unk>", 0),
                                     ("\u{2581}", -2), ("\u{2581}a", -3), ("b", -4), ("\u{2581}ab", -5)]
    var normalization: [(UInt32, [UInt32])] = [(0x09, [0x20]), (0x200B, []), (0xFF21, [0x41])]
    /// Tensor names to leave out (to test strict binding).
    var omitted: Set<String> = []

    func tensorList() -> [(name: String, q4: Bool, count: Int)] {
        var list: [(String, Bool, Int)] = [("emb.word", true, vocabularyRows * hidden), ("emb.pos", false, positions * hidden),
                                           ("emb.type", false, types * hidden), ("emb.ln.w", false, hidden), ("emb.ln.b", false, hidden)]
        for l in 0..<layers {
            for (n, q4, count) in [("q.w", true, hidden * hidden), ("q.b", false, hidden), ("k.w", true, hidden * hidden),
                                   ("k.b", false, hidden), ("v.w", true, hidden * hidden), ("v.b", false, hidden),
                                   ("ao.w", true, hidden * hidden), ("ao.b", false, hidden), ("aln.w", false, hidden),
                                   ("aln.b", false, hidden), ("fi.w", true, intermediate * hidden), ("fi.b", false, intermediate),
                                   ("fo.w", true, hidden * intermediate), ("fo.b", false, hidden), ("oln.w", false, hidden),
                                   ("oln.b", false, hidden)] {
                list.append(("l\(l).\(n)", q4, count))
            }
        }
        return list.filter { !omitted.contains($0.0) }
    }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func i32(_ v: Int) { u32(UInt32(bitPattern: Int32(v))) }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        out += Array("E5S1".utf8)
        u32(1)
        for v in [hidden, layers, heads, intermediate, vocabularyRows, positions, types] { i32(v) }
        u32(Float(1e-12).bitPattern)
        i32(32)
        // Tokenizer.
        i32(pieces.count)
        for id in [0, 2, 1, 3] { i32(id) }
        let blob = pieces.flatMap { Array($0.0.utf8) }
        u64(UInt64(blob.count))
        var offset = 0
        u32(0)
        for piece in pieces { offset += piece.0.utf8.count; u32(UInt32(offset)) }
        for piece in pieces { u32(piece.1.bitPattern) }
        out += blob
        i32(normalization.count)
        u32(UInt32(normalization.reduce(0) { $0 + 5 + 4 * $1.1.count }))
        for (cp, replacement) in normalization {
            u32(cp)
            out.append(UInt8(replacement.count))
            replacement.forEach(u32)
        }
        // Directory, then data at 64-byte boundaries.
        let list = tensorList()
        let directoryBytes = 4 + list.reduce(0) { $0 + 2 + $1.name.utf8.count + 1 + 4 + 8 + 8 }
        var dataOffset = (out.count + directoryBytes + 63) / 64 * 64
        var data: [(offset: Int, bytes: [UInt8])] = []
        i32(list.count)
        for (index, tensor) in list.enumerated() {
            withUnsafeBytes(of: UInt16(tensor.name.utf8.count).littleEndian) { out += $0 }
            out += Array(tensor.name.utf8)
            out.append(tensor.q4 ? 1 : 0)
            u32(UInt32(tensor.count))
            let payload = tensor.q4 ? Self.q4Blocks(count: tensor.count, seed: index) : Self.floats(count: tensor.count, seed: index)
            u64(UInt64(dataOffset))
            u64(UInt64(payload.count))
            data.append((dataOffset, payload))
            dataOffset = (dataOffset + payload.count + 63) / 64 * 64
        }
        for (start, payload) in data {
            out += [UInt8](repeating: 0, count: start - out.count)
            out += payload
        }
        return out
    }

    /// Deterministic Q4_0 blocks with small scales.
    static func q4Blocks(count: Int, seed: Int) -> [UInt8] {
        var out: [UInt8] = []
        var state = UInt32(truncatingIfNeeded: seed &* 2654435761 &+ 1)
        for _ in 0..<(count / 32) {
            withUnsafeBytes(of: Float16(0.01).bitPattern.littleEndian) { out += $0 }
            for _ in 0..<16 {
                state = state &* 1664525 &+ 1013904223
                out.append(UInt8(truncatingIfNeeded: state >> 24))
            }
        }
        return out
    }

    static func floats(count: Int, seed: Int) -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<count {
            let value = Float((i &* 31 &+ seed &* 17) % 23) / 23 - 0.5
            withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 }
        }
        return out
    }

    /// Writes `bytes` to a fresh temporary file.
    static func temporaryFile(_ bytes: [UInt8], name: String = "model.bin") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
