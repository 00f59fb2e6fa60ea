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

    /// Decodes one block 16 weights at a time: `body(i, w)` receives weights i..<i+16 (i a multiple of 16).
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ body: (Int, SIMD16<Float>) -> Void) {
        let d = Float(halfBits: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self))
        for half in 0..<2 {
            let ql = block + 64 * half, qh = block + 128 + 32 * half, sc = block + 192 + 8 * half
            for group in 0..<2 {
                let l = 16 * group
                let low0 = ql.loadUnaligned(fromByteOffset: l, as: SIMD16<UInt8>.self)
                let low1 = ql.loadUnaligned(fromByteOffset: l + 32, as: SIMD16<UInt8>.self)
                let high = qh.loadUnaligned(fromByteOffset: l, as: SIMD16<UInt8>.self)
                let q1 = (low0 & 0x0F) | ((high & 3) &<< 4)
                let q2 = (low1 & 0x0F) | (((high &>> 2) & 3) &<< 4)
                let q3 = (low0 &>> 4) | (((high &>> 4) & 3) &<< 4)
                let q4 = (low1 &>> 4) | ((high &>> 6) &<< 4)
                func scale(_ i: Int) -> SIMD16<Float> {
                    SIMD16(repeating: d * Float(sc.load(fromByteOffset: i, as: Int8.self)))
                }
                let y = 128 * half + l
                body(y, SIMDWidening.floats(q1, minus: 32) * scale(group))
                body(y + 32, SIMDWidening.floats(q2, minus: 32) * scale(group + 2))
                body(y + 64, SIMDWidening.floats(q3, minus: 32) * scale(group + 4))
                body(y + 96, SIMDWidening.floats(q4, minus: 32) * scale(group + 6))
            }
        }
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        for b in 0..<count {
            decode(blocks + b * bytesPerBlock) { i, w in
                raw.storeBytes(of: w, toByteOffset: (b * 256 + i) * 4, as: SIMD16<Float>.self)
            }
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc = SIMD16<Float>()
        for b in 0..<count {
            decode(blocks + b * bytesPerBlock) { i, w in
                acc.addProduct(w, rx.loadUnaligned(fromByteOffset: (b * 256 + i) * 4, as: SIMD16<Float>.self))
            }
        }
        return VectorMath.horizontalSum(acc)
    }
}
