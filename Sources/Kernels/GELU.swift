import Foundation

/// The exact-erf GELU, 0.5·x·(1 + erf(x/√2)), that BERT-style encoders (e5) use between their feed-forward layers.
public enum GELU {
    /// In place over `count` floats; vectorised with `FastMath.erf` (absolute error < 1e-6 against libm).
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let raw = UnsafeMutableRawPointer(x)
        var i = 0
        while i + 16 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let cdf = 0.5 * (1 + FastMath.erf(v * 0.707_106_781_186_547_52))
            raw.storeBytes(of: v * cdf, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            x[i] = reference(x[i])
            i += 1
        }
    }

    /// One value with libm's `erf`: the oracle.
    @inline(__always)
    public static func reference(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * 0.707_106_781_186_547_52))
    }
}
