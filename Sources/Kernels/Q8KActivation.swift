import CKernels

/// An activation vector quantised once per matrix-vector product to ggml Q8_K blocks (256 values, f32 scale
/// from the signed value of largest magnitude), the integers llama.cpp multiplies with K-quant weights; the
/// same rounding as `ActivationRounding` applies for Q4_K and Q6_K. Each block also carries the sums of its
/// 16-value groups, which the kernels use to apply the weights' offsets once per sub-block.
public struct Q8KActivation {
    public let count: Int
    /// count values in −127…127.
    let values: [Int8]
    /// One scale per block of 256.
    let scales: [Float]
    /// The sum of each 16 consecutive values.
    let sums16: [Int16]

    /// Quantises `count` floats (a multiple of 256).
    public init(_ x: UnsafePointer<Float>, count: Int) {
        precondition(count % 256 == 0, "Q8_K activations come in blocks of 256")
        self.count = count
        var values = [Int8](repeating: 0, count: count)
        var scales = [Float](repeating: 0, count: count / 256)
        var sums16 = [Int16](repeating: 0, count: count / 16)
        for b in 0..<(count / 256) {
            let block = x + 256 * b
            var amax: Float = 0, signedMax: Float = 0
            for i in 0..<256 where abs(block[i]) > amax {
                amax = abs(block[i])
                signedMax = block[i]
            }
            guard amax != 0 else { continue }
            let iscale = -127 / signedMax
            scales[b] = 1 / iscale
            for i in 0..<256 { values[256 * b + i] = Int8(min(127, (iscale * block[i]).rounded(.toNearestOrEven))) }
            for g in 0..<16 { sums16[16 * b + g] = Int16(values[(256 * b + 16 * g)..<(256 * b + 16 * g + 16)].reduce(0) { $0 + Int($1) }) }
        }
        self.values = values
        self.scales = scales
        self.sums16 = sums16
    }

    /// The dequantised values d·q (what `ActivationRounding` produces for K-quants): for tests and the fallback.
    public func dequantized() -> [Float] {
        (0..<count).map { scales[$0 / 256] * Float(values[$0]) }
    }
}

extension MatrixVector {
    /// y = W·a (+ bias) for Q4_K and Q6_K weights against a Q8_K activation: the C int8 kernels when `path` is
    /// .native, else (and for other types) the f32 path on the dequantised activation, with the same rounding.
    public static func multiply(_ w: WeightMatrix, _ a: Q8KActivation, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>, parallelism: Parallelism,
                                path: Int8Path = hasNativeInt8 ? .native : .swift) {
        precondition(a.count == w.columns, "activation length must equal the matrix's columns")
        guard path == .native, w.type == .q4_K || w.type == .q6_K else {
            multiply(w, a.dequantized(), bias: bias, into: y, parallelism: parallelism)
            return
        }
        let dot = w.type == .q4_K ? rag_q4_K_q8_K_dot : rag_q6_K_q8_K_dot
        let blocks = Int32(w.columns / 256)
        a.values.withUnsafeBufferPointer { values in
            a.scales.withUnsafeBufferPointer { scales in
                a.sums16.withUnsafeBufferPointer { sums in
                    forEachRow(w, bias: bias, into: y, parallelism: parallelism) { row in
                        dot(row, blocks, values.baseAddress!, scales.baseAddress!, sums.baseAddress!)
                    }
                }
            }
        }
    }
}
