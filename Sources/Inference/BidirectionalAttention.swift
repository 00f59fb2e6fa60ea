import Kernels

/// Multi-head self-attention without a mask (every token of a window sees every other), as in BERT-style encoders.
/// Windows are independent: attention never crosses from one window's rows into another's.
enum BidirectionalAttention {
    /// context[t] = Σ_j softmax_j(q_t·k_j / √d) v_j per head, for each window's rows.
    /// `query`, `key`, `value`, `context`: [T][heads·headDimension]; `windows`: row ranges covering 0..<T.
    static func apply(query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
                      into context: UnsafeMutablePointer<Float>, windows: [Range<Int>], heads: Int,
                      headDimension d: Int, parallelism: Parallelism) {
        let width = heads * d
        let longest = windows.map(\.count).max() ?? 0
        let padded = (longest + 15) & ~15
        let scale = 1 / Float(d).squareRoot()
        parallelism.forEachChunk(of: windows.count * heads) { tasks in
            // Per worker: this head's keys transposed to [d][padded] so scores for one query are SIMD over keys.
            let keysT = UnsafeMutablePointer<Float>.allocate(capacity: d * padded)
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: padded)
            let scaledQuery = UnsafeMutablePointer<Float>.allocate(capacity: d)
            defer { keysT.deallocate(); scores.deallocate(); scaledQuery.deallocate() }
            for task in tasks {
                let window = windows[task / heads], head = task % heads
                let n = window.count, column = head * d
                let stride = (n + 15) & ~15
                for c in 0..<d { for j in n..<stride { keysT[c * stride + j] = 0 } }  // padding keys
                for j in 0..<n {
                    let k = key + (window.lowerBound + j) * width + column
                    for c in 0..<d { keysT[c * stride + j] = k[c] }
                }
                for i in 0..<n {
                    let row = window.lowerBound + i
                    let q = query + row * width + column
                    for c in 0..<d { scaledQuery[c] = q[c] * scale }
                    scoreRow(scaledQuery, keysT: keysT, stride: stride, d: d, into: scores)
                    Softmax.apply(scores, count: n)
                    weightedSum(scores, count: n, values: value + window.lowerBound * width + column, width: width,
                                d: d, into: context + row * width + column)
                }
            }
        }
    }

    /// scores[j] = Σ_c q[c]·keysT[c][j] for j in 0..<stride (a multiple of 16), 32 keys per pass so each
    /// broadcast query element feeds two vectors.
    @inline(__always)
    static func scoreRow(_ q: UnsafePointer<Float>, keysT: UnsafePointer<Float>, stride: Int, d: Int,
                         into scores: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(keysT), out = UnsafeMutableRawPointer(scores)
        var j = 0
        while j + 32 <= stride {
            var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
            for c in 0..<d {
                let qc = SIMD16<Float>(repeating: q[c])
                acc0.addProduct(qc, raw.loadUnaligned(fromByteOffset: (c * stride + j) * 4, as: SIMD16<Float>.self))
                acc1.addProduct(qc, raw.loadUnaligned(fromByteOffset: (c * stride + j + 16) * 4, as: SIMD16<Float>.self))
            }
            out.storeBytes(of: acc0, toByteOffset: j * 4, as: SIMD16<Float>.self)
            out.storeBytes(of: acc1, toByteOffset: (j + 16) * 4, as: SIMD16<Float>.self)
            j += 32
        }
        if j < stride {
            var acc = SIMD16<Float>()
            for c in 0..<d {
                acc.addProduct(SIMD16(repeating: q[c]), raw.loadUnaligned(fromByteOffset: (c * stride + j) * 4, as: SIMD16<Float>.self))
            }
            out.storeBytes(of: acc, toByteOffset: j * 4, as: SIMD16<Float>.self)
        }
    }

    /// out[c] = Σ_j p[j]·values[j][c] for one head (`values` rows are `width` apart, `d` a multiple of 16).
    @inline(__always)
    static func weightedSum(_ p: UnsafePointer<Float>, count n: Int, values: UnsafePointer<Float>, width: Int, d: Int,
                            into out: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(values), destination = UnsafeMutableRawPointer(out)
        var c = 0
        while c < d {
            var acc = SIMD16<Float>()
            for j in 0..<n {
                acc.addProduct(SIMD16(repeating: p[j]), raw.loadUnaligned(fromByteOffset: (j * width + c) * 4, as: SIMD16<Float>.self))
            }
            destination.storeBytes(of: acc, toByteOffset: c * 4, as: SIMD16<Float>.self)
            c += 16
        }
    }
}
