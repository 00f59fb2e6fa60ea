import Kernels
import XCTest
@testable import Inference

/// Attention over the KV cache: the per-query path and the matrix-product path of prompts against the
/// double-precision reference, with grouped-query sharing, a cache that already holds earlier positions, and
/// 1 and 2 threads.
final class GroupedQueryAttentionTests: XCTestCase {
    func testBatchedAndPerQueryAttentionMatchReference() {
        var rng = SplitMix64(seed: 11)
        func random(_ count: Int, _ scale: Float) -> [Float] { (0..<count).map { _ in Float(rng.nextUnit() * 2 - 1) * scale } }
        let attention = GroupedQueryAttention(heads: 6, kvHeads: 2, headDimension: 16)
        let start = 5, tokens = 19, positions = start + tokens
        let width = attention.kvHeads * attention.headDimension, queryWidth = attention.heads * attention.headDimension
        let queries = random(tokens * queryWidth, 2), keys = random(positions * width, 2), values = random(positions * width, 1)
        var reference = [Float](repeating: 0, count: tokens * queryWidth)
        for t in 0..<tokens {
            for h in 0..<attention.heads {
                let offset = t * queryWidth + h * attention.headDimension
                queries.withUnsafeBufferPointer { q in
                    reference.withUnsafeMutableBufferPointer { out in
                        attention.reference(query: q.baseAddress! + offset, head: h, positions: start + t + 1, keys: keys,
                                            values: values, into: out.baseAddress! + offset)
                    }
                }
            }
        }
        for threads in [1, 2] {
            for batched in [false, true] {
                var out = [Float](repeating: .nan, count: tokens * queryWidth)
                if batched {
                    attention.applyBatched(queries: queries, tokens: tokens, start: start, keys: keys, values: values,
                                           into: &out, parallelism: Parallelism(threads: threads))
                } else {
                    attention.apply(queries: queries, tokens: tokens, start: start, keys: keys, values: values,
                                    into: &out, parallelism: Parallelism(threads: threads))
                }
                for i in out.indices {
                    XCTAssertEqual(out[i], reference[i], accuracy: 1e-5, "batched \(batched), \(threads) threads, output \(i)")
                }
            }
        }
    }
}
