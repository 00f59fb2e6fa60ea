import Foundation
import Kernels

/// Causal multi-head attention over the KV cache with grouped-query sharing: query head h reads KV head
/// h / (heads / kvHeads). For a query at position p: softmax(q·kⱼ / √d for j ≤ p) · vⱼ.
struct GroupedQueryAttention {
    let heads: Int
    let kvHeads: Int
    let headDimension: Int

    /// Attention of `tokens` queries whose positions are `start`, `start`+1, …, each over cache positions 0…its own.
    /// `queries`: tokens × heads·headDim; `keys`/`values`: the block's cache from position 0 (kvHeads·headDim per
    /// position, already holding the new tokens); `out`: tokens × heads·headDim.
    func apply(queries: UnsafePointer<Float>, tokens: Int, start: Int, keys: UnsafePointer<Float>,
               values: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, parallelism: Parallelism) {
        let queryWidth = heads * headDimension
        parallelism.forEachChunk(of: tokens * heads) { items in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: start + tokens) { scores in
                for item in items {
                    let t = item / heads, h = item % heads
                    head(queries + t * queryWidth + h * headDimension, kvHead: h / (heads / kvHeads),
                         positions: start + t + 1, keys: keys, values: values, scores: scores.baseAddress!,
                         into: out + t * queryWidth + h * headDimension)
                }
            }
        }
    }

    /// `apply` for a prompt's many queries, shaped as matrix products so the f32 GEMM's register blocking does
    /// the work (one dot product per query and key, each ending in a horizontal sum, ran at ~10 GFLOP/s): per KV
    /// head, the scores of all its query heads' rows (token-major) are Q·Kᵀ over every cached position, then each
    /// row's softmax up to its own position (the rest zeroed), then the outputs are S·V. Sums come in another
    /// order than `apply`'s, so a prompt-lookup verification pass, which must equal decode steps bit for bit,
    /// keeps `apply`.
    func applyBatched(queries: UnsafePointer<Float>, tokens: Int, start: Int, keys: UnsafePointer<Float>,
                      values: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, parallelism: Parallelism) {
        let d = headDimension, group = heads / kvHeads, width = kvHeads * d, queryWidth = heads * d
        let positions = start + tokens, rows = tokens * group
        let scale = 1 / Float(d).squareRoot()
        let k = UnsafeMutablePointer<Float>.allocate(capacity: positions * d)       // positions × d
        let vT = UnsafeMutablePointer<Float>.allocate(capacity: d * positions)      // d × positions
        let q = UnsafeMutablePointer<Float>.allocate(capacity: rows * d)            // (token, head in group) × d
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: rows * positions)
        let o = UnsafeMutablePointer<Float>.allocate(capacity: rows * d)
        defer { k.deallocate(); vT.deallocate(); q.deallocate(); scores.deallocate(); o.deallocate() }
        for g in 0..<kvHeads {
            for j in 0..<positions {
                let key = keys + j * width + g * d, value = values + j * width + g * d
                for i in 0..<d {
                    k[j * d + i] = key[i]
                    vT[i * positions + j] = value[i]
                }
            }
            for t in 0..<tokens {
                for h in 0..<group {
                    let query = queries + t * queryWidth + (g * group + h) * d
                    for i in 0..<d { q[(t * group + h) * d + i] = query[i] * scale }
                }
            }
            let keyMatrix = WeightMatrix(type: .f32, rows: positions, columns: d, base: UnsafeRawPointer(k))!
            MatrixMultiply.multiply(q, rows: rows, weights: keyMatrix, bias: nil, into: scores, parallelism: parallelism)
            parallelism.forEachChunk(of: rows) { chunk in
                for r in chunk {
                    let row = scores + r * positions, seen = start + r / group + 1
                    Softmax.apply(row, count: seen)
                    for j in seen..<positions { row[j] = 0 }
                }
            }
            let valueMatrix = WeightMatrix(type: .f32, rows: d, columns: positions, base: UnsafeRawPointer(vT))!
            MatrixMultiply.multiply(scores, rows: rows, weights: valueMatrix, bias: nil, into: o, parallelism: parallelism)
            for t in 0..<tokens {
                for h in 0..<group {
                    let target = out + t * queryWidth + (g * group + h) * d
                    for i in 0..<d { target[i] = o[(t * group + h) * d + i] }
                }
            }
        }
    }

    /// One query head over `positions` cached positions; `scores` is scratch for `positions` floats.
    @inline(__always)
    func head(_ q: UnsafePointer<Float>, kvHead: Int, positions: Int, keys: UnsafePointer<Float>,
              values: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let width = kvHeads * headDimension, offset = kvHead * headDimension
        let scale = 1 / Float(headDimension).squareRoot()
        for j in 0..<positions {
            scores[j] = VectorMath.dot(q, keys + j * width + offset, count: headDimension) * scale
        }
        Softmax.apply(scores, count: positions)
        for i in 0..<headDimension { out[i] = 0 }
        let ro = UnsafeMutableRawPointer(out)
        for j in 0..<positions {
            let v = UnsafeRawPointer(values + j * width + offset)
            let weight = SIMD16<Float>(repeating: scores[j])
            var i = 0
            while i + 16 <= headDimension {
                var acc = ro.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                acc.addProduct(weight, v.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
                ro.storeBytes(of: acc, toByteOffset: i * 4, as: SIMD16<Float>.self)
                i += 16
            }
            while i < headDimension {
                out[i] += scores[j] * values[j * width + offset + i]
                i += 1
            }
        }
    }

    /// The same for one query in double precision: the oracle.
    func reference(query q: UnsafePointer<Float>, head h: Int, positions: Int, keys: UnsafePointer<Float>,
                   values: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let width = kvHeads * headDimension, offset = (h / (heads / kvHeads)) * headDimension
        var scores = (0..<positions).map { j in
            (0..<headDimension).reduce(0.0) { $0 + Double(q[$1]) * Double(keys[j * width + offset + $1]) }
                / Double(headDimension).squareRoot()
        }
        let maximum = scores.max() ?? 0
        scores = scores.map { Foundation.exp($0 - maximum) }
        let sum = scores.reduce(0, +)
        for i in 0..<headDimension {
            out[i] = Float((0..<positions).reduce(0.0) { $0 + scores[$1] * Double(values[$1 * width + offset + i]) } / sum)
        }
    }
}
