/// Rounds activations the way llama.cpp sees them. Before every product with a quantised weight, ggml quantises
/// the activation row to 8 bits, Q8_0 (blocks of 32, f16 scale) for Q4_0/Q5_0/Q8_0 weights and Q8_K (blocks of
/// 256, f32 scale) for K-quants, and multiplies integers. Passing our f32 activations through the same rounding
/// reproduces its numerics (greedy ids then agree with the reference even at small top-2 margins), at the cost of
/// the same ~0.4% activation noise. The arithmetic itself stays in f32.
public enum ActivationRounding {
    /// The 8-bit block size ggml pairs with weights of `type`, or nil when it keeps activations in f32.
    public static func blockSize(for type: TensorType) -> Int? {
        switch type {
        case .q4_0, .q5_0, .q8_0: 32
        case .q4_K, .q6_K: 256
        case .f32, .f16: nil
        }
    }

    /// out = dequantise(quantise(x)) for `count` floats (a multiple of the block size) paired with weights of `type`;
    /// a plain copy when ggml would not quantise.
    public static func apply(_ x: UnsafePointer<Float>, count: Int, for type: TensorType, into out: UnsafeMutablePointer<Float>) {
        guard let block = blockSize(for: type), count % block == 0 else {
            out.update(from: x, count: count)
            return
        }
        for start in stride(from: 0, to: count, by: block) {
            if block == 32 { roundQ8_0(x + start, out + start) } else { roundQ8_K(x + start, out + start) }
        }
    }

    /// Q8_0 as ggml's x86 path: d = amax/127 stored as f16, q = round-to-nearest-even(x · 127/amax).
    @inline(__always)
    static func roundQ8_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        var amax: Float = 0
        for i in 0..<32 { amax = max(amax, abs(x[i])) }
        let d = Float(Float16(amax / 127))
        let inverse: Float = amax != 0 ? 127 / amax : 0
        for i in 0..<32 { out[i] = d * (x[i] * inverse).rounded(.toNearestOrEven) }
    }

    /// Q8_K as ggml's reference: scale from the signed value of largest magnitude, iscale = −127/max,
    /// q = min(127, nearest(iscale · x)), d = 1/iscale as f32.
    @inline(__always)
    static func roundQ8_K(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        var amax: Float = 0, signedMax: Float = 0
        for i in 0..<256 where abs(x[i]) > amax {
            amax = abs(x[i])
            signedMax = x[i]
        }
        guard amax != 0 else {
            for i in 0..<256 { out[i] = 0 }
            return
        }
        let iscale = -127 / signedMax
        let d = 1 / iscale
        for i in 0..<256 { out[i] = d * min(127, (iscale * x[i]).rounded(.toNearestOrEven)) }
    }
}
