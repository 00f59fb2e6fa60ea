/// ggml Q4_0: 32 weights in 18 bytes. f16 scale `d`, then 16 bytes whose low nibbles are weights 0–15 and
/// high nibbles weights 16–31; w = d·(nibble − 8).
public enum Q4_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 18

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qs = block + 2
        for j in 0..<16 {
            let byte = qs.load(fromByteOffset: j, as: UInt8.self)
            out[j] = d * Float(Int(byte & 0x0F) - 8)
            out[j + 16] = d * Float(Int(byte >> 4) - 8)
        }
    }

    /// One block as two vectors: weights 0–15 and 16–31.
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (SIMD16<Float>, SIMD16<Float>) {
        let d = SIMD16<Float>(repeating: Float(halfBits: block.loadUnaligned(as: UInt16.self)))
        let bytes = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let low = bytes & 0x0F, high = bytes &>> 4
        return ((centred(low)) * d, (centred(high)) * d)
    }

    /// nibble − 8 as floats; a plain 16-lane loop, which LLVM turns into one widening + one convert.
    @inline(__always)
    static func centred(_ nibbles: SIMD16<UInt8>) -> SIMD16<Float> {
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(nibbles[i]) &- 8 }
        var out = SIMD16<Float>()
        for i in 0..<16 { out[i] = Float(wide[i]) }
        return out
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        for b in 0..<count {
            let (low, high) = decode(blocks + b * bytesPerBlock)
            raw.storeBytes(of: low, toByteOffset: b * 128, as: SIMD16<Float>.self)
            raw.storeBytes(of: high, toByteOffset: b * 128 + 64, as: SIMD16<Float>.self)
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        for b in 0..<count {
            let (low, high) = decode(blocks + b * bytesPerBlock)
            acc0.addProduct(low, rx.loadUnaligned(fromByteOffset: b * 128, as: SIMD16<Float>.self))
            acc1.addProduct(high, rx.loadUnaligned(fromByteOffset: b * 128 + 64, as: SIMD16<Float>.self))
        }
        return VectorMath.horizontalSum(acc0 + acc1)
    }
}
