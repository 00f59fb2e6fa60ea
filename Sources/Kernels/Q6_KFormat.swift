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

    /// Four vectors of 16 weights at y, y+32, y+64, y+96 with y = 128·half + 16·group (half, group in 0..<2).
    @inline(__always)
    static func decodeQuarter(_ block: UnsafeRawPointer, half: Int, group: Int, d: Float)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let ql = block + 64 * half, qh = block + 128 + 32 * half, sc = block + 192 + 8 * half
        let l = 16 * group
        let low0 = ql.loadUnaligned(fromByteOffset: l, as: SIMD16<UInt8>.self)
        let low1 = ql.loadUnaligned(fromByteOffset: l + 32, as: SIMD16<UInt8>.self)
        let high = qh.loadUnaligned(fromByteOffset: l, as: SIMD16<UInt8>.self)
        let q1 = (low0 & 0x0F) | ((high & 3) &<< 4)
        let q2 = (low1 & 0x0F) | (((high &>> 2) & 3) &<< 4)
        let q3 = (low0 &>> 4) | (((high &>> 4) & 3) &<< 4)
        let q4 = (low1 &>> 4) | ((high &>> 6) &<< 4)
        @inline(__always) func scale(_ i: Int) -> SIMD16<Float> {
            SIMD16(repeating: d * Float(sc.load(fromByteOffset: i, as: Int8.self)))
        }
        return (SIMDWidening.floats(q1, minus: 32) * scale(group), SIMDWidening.floats(q2, minus: 32) * scale(group + 2),
                SIMDWidening.floats(q3, minus: 32) * scale(group + 4), SIMDWidening.floats(q4, minus: 32) * scale(group + 6))
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        for b in 0..<count {
            let block = blocks + b * bytesPerBlock
            let d = Float(halfBits: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self))
            for half in 0..<2 {
                for group in 0..<2 {
                    let (w0, w1, w2, w3) = decodeQuarter(block, half: half, group: group, d: d)
                    let offset = (b * 256 + 128 * half + 16 * group) * 4
                    raw.storeBytes(of: w0, toByteOffset: offset, as: SIMD16<Float>.self)
                    raw.storeBytes(of: w1, toByteOffset: offset + 128, as: SIMD16<Float>.self)
                    raw.storeBytes(of: w2, toByteOffset: offset + 256, as: SIMD16<Float>.self)
                    raw.storeBytes(of: w3, toByteOffset: offset + 384, as: SIMD16<Float>.self)
                }
            }
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        // Four independent accumulators: one dependency chain would cap the loop at one FMA per 4 cycles.
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
        for b in 0..<count {
            let block = blocks + b * bytesPerBlock
            let d = Float(halfBits: block.loadUnaligned(fromByteOffset: 208, as: UInt16.self))
            for half in 0..<2 {
                for group in 0..<2 {
                    let (w0, w1, w2, w3) = decodeQuarter(block, half: half, group: group, d: d)
                    let offset = (b * 256 + 128 * half + 16 * group) * 4
                    acc0.addProduct(w0, rx.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
                    acc1.addProduct(w1, rx.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self))
                    acc2.addProduct(w2, rx.loadUnaligned(fromByteOffset: offset + 256, as: SIMD16<Float>.self))
                    acc3.addProduct(w3, rx.loadUnaligned(fromByteOffset: offset + 384, as: SIMD16<Float>.self))
                }
            }
        }
        return VectorMath.horizontalSum((acc0 + acc1) + (acc2 + acc3))
    }
}
