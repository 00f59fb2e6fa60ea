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

    /// Bit positions 0–15 of the fifth-bit word, one per lane.
    static let laneBits = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// 16 five-bit values (nibbles plus the fifth bits `high16`, one per lane in bits 0–15), centred: q − 16.
    @inline(__always)
    static func centred(_ nibbles: SIMD16<UInt8>, _ high16: UInt32) -> SIMD16<Float> {
        let fifth = ((SIMD16<UInt32>(repeating: high16) &>> laneBits) & 1) &<< 4
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(nibbles[i]) | Int32(bitPattern: fifth[i]) }
        wide &-= 16
        var out = SIMD16<Float>()
        for i in 0..<16 { out[i] = Float(wide[i]) }
        return out
    }

    /// One block as its scale and the unscaled weights 0–15 and 16–31.
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (d: Float, SIMD16<Float>, SIMD16<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let bytes = block.loadUnaligned(fromByteOffset: 6, as: SIMD16<UInt8>.self)
        return (d, centred(bytes & 0x0F, qh & 0xFFFF), centred(bytes &>> 4, qh >> 16))
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        for b in 0..<count {
            let (d, low, high) = decode(blocks + b * bytesPerBlock)
            raw.storeBytes(of: low * d, toByteOffset: b * 128, as: SIMD16<Float>.self)
            raw.storeBytes(of: high * d, toByteOffset: b * 128 + 64, as: SIMD16<Float>.self)
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc = SIMD16<Float>()
        for b in 0..<count {
            let (d, low, high) = decode(blocks + b * bytesPerBlock)
            var block = low * rx.loadUnaligned(fromByteOffset: b * 128, as: SIMD16<Float>.self)
            block.addProduct(high, rx.loadUnaligned(fromByteOffset: b * 128 + 64, as: SIMD16<Float>.self))
            acc.addProduct(SIMD16(repeating: d), block)
        }
        return VectorMath.horizontalSum(acc)
    }
}
