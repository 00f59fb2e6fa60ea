/// ggml Q6_K: 256 weights in 210 bytes. 128 bytes `ql` (low 4 bits), 64 bytes `qh` (high 2 bits), 16 signed
/// scales (one per 16 weights), then f16 `d`. Two halves of 128 weights; w = d·scale·(q6 − 32).
public enum Q6_KFormat: BlockFormat {
    public static let weightsPerBlock = 256
    public static let bytesPerBlock = 210

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self))
        for half in 0..<2 {
            let ql = block + 64 * half
            let qh = block + 128 + 32 * half
            let sc = block + 192 + 8 * half
            let y = out + 128 * half
            for l in 0..<32 {
                let group = l / 16
                let low0 = ql.load(fromByteOffset: l, as: UInt8.self)
                let low1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let high = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int(low0 & 0x0F) | Int(high & 3) << 4
                let q2 = Int(low1 & 0x0F) | Int((high >> 2) & 3) << 4
                let q3 = Int(low0 >> 4) | Int((high >> 4) & 3) << 4
                let q4 = Int(low1 >> 4) | Int((high >> 6) & 3) << 4
                func scale(_ i: Int) -> Float { d * Float(sc.load(fromByteOffset: i, as: Int8.self)) }
                y[l] = scale(group) * Float(q1 - 32)
                y[l + 32] = scale(group + 2) * Float(q2 - 32)
                y[l + 64] = scale(group + 4) * Float(q3 - 32)
                y[l + 96] = scale(group + 6) * Float(q4 - 32)
            }
        }
    }
}
