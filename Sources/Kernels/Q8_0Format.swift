/// ggml Q8_0: 32 weights in 34 bytes. f16 `d`, then 32 signed bytes; w = d·q.
public enum Q8_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 34

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        for j in 0..<32 {
            out[j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self))
        }
    }

    /// One block as its scale and the unscaled weights 0–15 and 16–31.
    @inline(__always)
    static func decode(_ block: UnsafeRawPointer) -> (d: Float, SIMD16<Float>, SIMD16<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        return (d, SIMDWidening.floats(block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self)),
                SIMDWidening.floats(block.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self)))
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
