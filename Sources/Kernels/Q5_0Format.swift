/// ggml Q5_0: 32 weights in 22 bytes. f16 `d`, a little-endian u32 of fifth bits (bit j for weight j), then
/// nibbles laid out as in Q4_0; w = d·((nibble | highBit << 4) − 16).
public enum Q5_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 22

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let qs = block + 6
        for j in 0..<16 {
            let byte = qs.load(fromByteOffset: j, as: UInt8.self)
            let low = Int(byte & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low - 16)
            out[j + 16] = d * Float(high - 16)
        }
    }

    /// For each byte value b, the 8 bytes ((b >> i) & 1) << 4 for i in 0..<8, packed little-endian: the fifth bits
    /// of 8 weights placed where they belong, found with one load instead of 8 shifts (ggml's generic code does the same).
    static let fifthBits: [UInt64] = (0..<256).map { (b: Int) -> UInt64 in
        var bits: UInt64 = 0
        for i in 0..<8 where (b >> i) & 1 == 1 { bits |= UInt64(0x10) << UInt64(8 * i) }
        return bits
    }

    /// One block as its scale and the unscaled weights 0–15 and 16–31. `table` is `fifthBits`.
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer, _ table: UnsafePointer<UInt64>) -> (d: Float, SIMD16<Float>, SIMD16<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let high0 = unsafeBitCast(SIMD2(table[Int(qh & 0xFF)], table[Int((qh >> 8) & 0xFF)]), to: SIMD16<UInt8>.self)
        let high1 = unsafeBitCast(SIMD2(table[Int((qh >> 16) & 0xFF)], table[Int(qh >> 24)]), to: SIMD16<UInt8>.self)
        let bytes = block.loadUnaligned(fromByteOffset: 6, as: SIMD16<UInt8>.self)
        return (d, SIMDWidening.floats((bytes & 0x0F) | high0, minus: 16), SIMDWidening.floats((bytes &>> 4) | high1, minus: 16))
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        fifthBits.withUnsafeBufferPointer { table in
            for b in 0..<count {
                let (d, low, high) = decode(blocks + b * bytesPerBlock, table.baseAddress!)
                raw.storeBytes(of: low * d, toByteOffset: b * 128, as: SIMD16<Float>.self)
                raw.storeBytes(of: high * d, toByteOffset: b * 128 + 64, as: SIMD16<Float>.self)
            }
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        // Two accumulators so consecutive blocks do not wait on each other's fused multiply-add.
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        fifthBits.withUnsafeBufferPointer { table in
            @inline(__always) func block(_ b: Int) -> SIMD16<Float> {
                let (d, low, high) = decode(blocks + b * bytesPerBlock, table.baseAddress!)
                var sum = low * rx.loadUnaligned(fromByteOffset: b * 128, as: SIMD16<Float>.self)
                sum.addProduct(high, rx.loadUnaligned(fromByteOffset: b * 128 + 64, as: SIMD16<Float>.self))
                return sum * d
            }
            var b = 0
            while b + 2 <= count {
                acc0 += block(b)
                acc1 += block(b + 1)
                b += 2
            }
            if b < count { acc0 += block(b) }
        }
        return VectorMath.horizontalSum(acc0 + acc1)
    }
}
