/// ggml Q4_K: 256 weights in 144 bytes. f16 `d`, f16 `dmin`, 12 bytes packing eight 6-bit (scale, min) pairs
/// (one per 32-weight sub-block), then 128 bytes of nibbles in 4 groups of 32 bytes: group g's low nibbles are
/// sub-block 2g, its high nibbles sub-block 2g+1. w = d·scale·nibble − dmin·min.
public enum Q4_KFormat: BlockFormat {
    public static let weightsPerBlock = 256
    public static let bytesPerBlock = 144

    /// The 6-bit scale and min of sub-block `j` (0..<8) from the 12 packed bytes.
    @inline(__always)
    static func scaleAndMin(_ j: Int, _ s: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        func byte(_ i: Int) -> UInt8 { s.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (byte(j) & 63, byte(j + 4) & 63)
        }
        return ((byte(j + 4) & 0x0F) | ((byte(j - 4) >> 6) << 4),
                (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4))
    }

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let dmin = Float(halfBits: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let scales = block + 4
        let qs = block + 16
        for g in 0..<4 {
            let (sc1, m1) = scaleAndMin(2 * g, scales)
            let (sc2, m2) = scaleAndMin(2 * g + 1, scales)
            for l in 0..<32 {
                let byte = qs.load(fromByteOffset: 32 * g + l, as: UInt8.self)
                out[64 * g + l] = d * Float(sc1) * Float(byte & 0x0F) - dmin * Float(m1)
                out[64 * g + 32 + l] = d * Float(sc2) * Float(byte >> 4) - dmin * Float(m2)
            }
        }
    }

    /// Weights 64g ..< 64g+64 of one block (group g: sub-blocks 2g and 2g+1) as four vectors of 16.
    @inline(__always)
    static func decodeGroup(_ block: UnsafeRawPointer, _ g: Int, d: Float, dmin: Float)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let (sc1, m1) = scaleAndMin(2 * g, block + 4)
        let (sc2, m2) = scaleAndMin(2 * g + 1, block + 4)
        let scaleLow = SIMD16<Float>(repeating: d * Float(sc1)), minLow = SIMD16<Float>(repeating: -dmin * Float(m1))
        let scaleHigh = SIMD16<Float>(repeating: d * Float(sc2)), minHigh = SIMD16<Float>(repeating: -dmin * Float(m2))
        let bytes0 = block.loadUnaligned(fromByteOffset: 16 + 32 * g, as: SIMD16<UInt8>.self)
        let bytes1 = block.loadUnaligned(fromByteOffset: 32 + 32 * g, as: SIMD16<UInt8>.self)
        return (minLow.addingProduct(SIMDWidening.floats(bytes0 & 0x0F, minus: 0), scaleLow),
                minLow.addingProduct(SIMDWidening.floats(bytes1 & 0x0F, minus: 0), scaleLow),
                minHigh.addingProduct(SIMDWidening.floats(bytes0 &>> 4, minus: 0), scaleHigh),
                minHigh.addingProduct(SIMDWidening.floats(bytes1 &>> 4, minus: 0), scaleHigh))
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(out)
        for b in 0..<count {
            let block = blocks + b * bytesPerBlock
            let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
            let dmin = Float(halfBits: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            for g in 0..<4 {
                let (w0, w1, w2, w3) = decodeGroup(block, g, d: d, dmin: dmin)
                let offset = (b * 256 + 64 * g) * 4
                raw.storeBytes(of: w0, toByteOffset: offset, as: SIMD16<Float>.self)
                raw.storeBytes(of: w1, toByteOffset: offset + 64, as: SIMD16<Float>.self)
                raw.storeBytes(of: w2, toByteOffset: offset + 128, as: SIMD16<Float>.self)
                raw.storeBytes(of: w3, toByteOffset: offset + 192, as: SIMD16<Float>.self)
            }
        }
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        let rx = UnsafeRawPointer(x)
        // Four independent accumulators: one dependency chain would cap the loop at one FMA per 4 cycles.
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
        for b in 0..<count {
            let block = blocks + b * bytesPerBlock
            let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
            let dmin = Float(halfBits: block.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            for g in 0..<4 {
                let (w0, w1, w2, w3) = decodeGroup(block, g, d: d, dmin: dmin)
                let offset = (b * 256 + 64 * g) * 4
                acc0.addProduct(w0, rx.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
                acc1.addProduct(w1, rx.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self))
                acc2.addProduct(w2, rx.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self))
                acc3.addProduct(w3, rx.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self))
            }
        }
        return VectorMath.horizontalSum((acc0 + acc1) + (acc2 + acc3))
    }
}
