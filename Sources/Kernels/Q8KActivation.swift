import CKernels

/// An activation vector quantised once per matrix-vector product to ggml Q8_K blocks (256 values, f32 scale
/// from the signed value of largest magnitude), the integers llama.cpp multiplies with K-quant weights; the
/// same rounding as `ActivationRounding` applies for Q4_K and Q6_K. Each block also carries the sums of its
/// 16-value groups, which the kernels use to apply the weights' offsets once per sub-block. Several vectors
/// of the same length may be quantised together (`vectors`), each exactly as it would be alone.
public struct Q8KActivation {
    /// Values per vector.
    public let count: Int
    public let vectors: Int
    /// vectors × count values in −127…127.
    let values: [Int8]
    /// One scale per block of 256.
    let scales: [Float]
    /// The sum of each 16 consecutive values.
    let sums16: [Int16]

    /// Quantises `vectors` consecutive vectors of `count` floats (a multiple of 256).
    public init(_ x: UnsafePointer<Float>, count: Int, vectors: Int = 1) {
        precondition(count % 256 == 0, "Q8_K activations come in blocks of 256")
        self.count = count
        self.vectors = vectors
        var values = [Int8](repeating: 0, count: count * vectors)
        var scales = [Float](repeating: 0, count: count * vectors / 256)
        var sums16 = [Int16](repeating: 0, count: count * vectors / 16)
        values.withUnsafeMutableBufferPointer { codes in
            for b in 0..<(count * vectors / 256) {
                let block = codes.baseAddress! + 256 * b
                scales[b] = Self.quantise(x + 256 * b, into: block)
                for g in 0..<16 { sums16[16 * b + g] = Int16((0..<16).reduce(0) { $0 + Int(block[16 * g + $1]) }) }
            }
        }
        self.values = values
        self.scales = scales
        self.sums16 = sums16
    }

    /// Quantises one block of 256 floats into `codes` and returns its scale (0, with zero codes, for a zero block).
    @inline(__always)
    static func quantise(_ block: UnsafePointer<Float>, into codes: UnsafeMutablePointer<Int8>) -> Float {
        var amax: Float = 0, signedMax: Float = 0
        for i in 0..<256 where abs(block[i]) > amax {
            amax = abs(block[i])
            signedMax = block[i]
        }
        guard amax != 0 else {
            codes.update(repeating: 0, count: 256)
            return 0
        }
        let iscale = -127 / signedMax
        for i in 0..<256 { codes[i] = Int8(min(127, (iscale * block[i]).rounded(.toNearestOrEven))) }
        return 1 / iscale
    }

    /// The dequantised values d·q (what `ActivationRounding` produces for K-quants): for tests and the fallback.
    public func dequantized() -> [Float] {
        (0..<(count * vectors)).map { scales[$0 / 256] * Float(values[$0]) }
    }
}

extension MatrixVector {
    /// y = W·a (+ bias) for Q4_K and Q6_K weights against a Q8_K activation: the C int8 kernels when `path` is
    /// .native, else (and for other types) the f32 path on the dequantised activation, with the same rounding.
    /// With several vectors in `a`, `y` holds a.vectors × W.rows results (see `forEachRow`).
    public static func multiply(_ w: WeightMatrix, _ a: Q8KActivation, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>, parallelism: Parallelism,
                                path: Int8Path = hasNativeInt8 ? .native : .swift) {
        precondition(a.count == w.columns, "activation length must equal the matrix's columns")
        guard path == .native, w.type == .q4_K || w.type == .q6_K else {
            multiplyEach(w, a.dequantized(), vectors: a.vectors, bias: bias, into: y, parallelism: parallelism)
            return
        }
        let blocks = w.columns / 256
        a.values.withUnsafeBufferPointer { values in
            a.scales.withUnsafeBufferPointer { scales in
                a.sums16.withUnsafeBufferPointer { sums in
                    if a.vectors == 1 {
                        let dot = w.type == .q4_K ? rag_q4_K_q8_K_dot : rag_q6_K_q8_K_dot
                        forEachRow(w, vectors: 1, bias: bias, into: y, parallelism: parallelism) { row, _ in
                            dot(row, Int32(blocks), values.baseAddress!, scales.baseAddress!, sums.baseAddress!)
                        }
                    } else {
                        let dots = w.type == .q4_K ? rag_q4_K_q8_K_dots : rag_q6_K_q8_K_dots
                        forEachRow(w, vectors: a.vectors, bias: bias, into: y, parallelism: parallelism) { row, out in
                            dots(row, Int32(blocks), Int32(a.vectors), values.baseAddress!, scales.baseAddress!,
                                 sums.baseAddress!, out)
                        }
                    }
                }
            }
        }
    }
}
