/// Lane-wise integer → float conversions written as plain 16-lane loops. LLVM turns each into one widening move
/// plus one `vcvtdq2ps`; the stdlib conversion initialisers are emitted as out-of-line generic calls instead
/// (3x slower in the quantised kernels, see shared PERF.md §4).
enum SIMDWidening {
    /// Unsigned bytes as floats, after subtracting `offset` (e.g. 8 for centred nibbles, 0 for plain values).
    @inline(__always)
    static func floats(_ bytes: SIMD16<UInt8>, minus offset: Int32) -> SIMD16<Float> {
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(bytes[i]) &- offset }
        var out = SIMD16<Float>()
        for i in 0..<16 { out[i] = Float(wide[i]) }
        return out
    }

    /// Signed bytes as floats.
    @inline(__always)
    static func floats(_ bytes: SIMD16<Int8>) -> SIMD16<Float> {
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(bytes[i]) }
        var out = SIMD16<Float>()
        for i in 0..<16 { out[i] = Float(wide[i]) }
        return out
    }
}
