/// Vectorised transcendental functions for the encoder's softmax and GELU, 16 lanes at a time. Scalar `exp`/`erf`
/// from libm would cost about as much as the matrix multiplies around them (≈10 M GELUs per layer of a batch).
/// Accuracy (checked against libm in KernelsTests): `exp` relative error < 1e-6, `erf` absolute error < 1e-6.
public enum FastMath {
    /// e^x per lane. Inputs are clamped to [−87.3, 88.7] (the finite, normal range of the result).
    @inlinable @inline(__always)
    public static func exp(_ input: SIMD16<Float>) -> SIMD16<Float> {
        var x = input
        for i in 0..<16 { x[i] = Swift.min(Swift.max(x[i], -87.3), 88.7) }  // a lane loop: vmaxps + vminps
        // n = round(x / ln 2) by adding 1.5·2^23: the sum's low mantissa bits then hold n as an integer.
        let magic = SIMD16<Float>(repeating: 12_582_912)
        let t = magic.addingProduct(x, SIMD16(repeating: 1.442_695_04))
        let n = t - magic
        // r = x − n·ln 2 in two steps (Cody–Waite) so r keeps full precision; |r| ≤ 0.347.
        var r = x.addingProduct(n, SIMD16(repeating: -0.693_145_751_953_125))
        r = r.addingProduct(n, SIMD16(repeating: -1.428_606_765_330_187_045e-6))
        // e^r by its Taylor series to degree 7 (truncation error < 2e-8 relative), Horner with fused multiply-adds.
        var p = SIMD16<Float>(repeating: 1.0 / 5040)
        p = SIMD16(repeating: 1.0 / 720).addingProduct(p, r)
        p = SIMD16(repeating: 1.0 / 120).addingProduct(p, r)
        p = SIMD16(repeating: 1.0 / 24).addingProduct(p, r)
        p = SIMD16(repeating: 1.0 / 6).addingProduct(p, r)
        p = SIMD16(repeating: 0.5).addingProduct(p, r)
        p = SIMD16(repeating: 1).addingProduct(p, r)
        p = SIMD16(repeating: 1).addingProduct(p, r)
        // 2^n: n + 127 in the exponent field.
        let nBits = unsafeBitCast(t, to: SIMD16<UInt32>.self) &- unsafeBitCast(magic, to: SIMD16<UInt32>.self)
        let scale = unsafeBitCast((nBits &+ 127) &<< 23, to: SIMD16<Float>.self)
        return p * scale
    }

    /// erf(x) per lane, Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7):
    /// erf(|x|) = 1 − (a1·t + … + a5·t⁵)·e^(−x²) with t = 1 / (1 + p·|x|), sign restored afterwards.
    @inlinable @inline(__always)
    public static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let one = SIMD16<Float>(repeating: 1)
        var a = x
        for i in 0..<16 { a[i] = Swift.abs(a[i]) }
        let t = one / one.addingProduct(a, SIMD16(repeating: 0.327_591_1))
        var poly = SIMD16<Float>(repeating: 1.061_405_429)
        poly = SIMD16(repeating: -1.453_152_027).addingProduct(poly, t)
        poly = SIMD16(repeating: 1.421_413_741).addingProduct(poly, t)
        poly = SIMD16(repeating: -0.284_496_736).addingProduct(poly, t)
        poly = SIMD16(repeating: 0.254_829_592).addingProduct(poly, t)
        poly = poly * t
        var result = one - poly * exp(-(a * a))
        for i in 0..<16 { result[i] = x[i] < 0 ? -result[i] : result[i] }
        return result
    }
}
