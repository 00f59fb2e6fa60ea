/// y[n][W.rows] = x[n][W.columns] · Wᵀ (+ bias): every linear layer of a batch of tokens at once (encoder layers,
/// decoder prefill). Works for any `WeightMatrix` type: weights are dequantised to f32 one panel of 32 rows at a
/// time (via the format's fast `dequantize`) and reused by a tile of up to 64 tokens, so dequantisation costs a few
/// percent and the arithmetic runs in a register-blocked SIMD16 micro-kernel (4 tokens × 4 weight rows, 16 vector
/// accumulators along the reduction dimension). Tiles of (token block × weight panel) are spread over threads.
public enum MatrixMultiply {
    /// Weight rows dequantised together and kept hot in L1/L2 while a token block streams past them.
    static let panelRows = 32
    /// Tokens that reuse one dequantised panel.
    static let tokenBlock = 64

    /// y = x·Wᵀ + bias. `x`: n × W.columns floats (row-major), `bias`: W.rows floats or nil,
    /// `y`: n × W.rows floats (row-major, overwritten). `x` and `y` must not overlap.
    public static func multiply(_ x: UnsafePointer<Float>, rows n: Int, weights w: WeightMatrix,
                                bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
                                parallelism: Parallelism) {
        let k = w.columns, m = w.rows
        guard n > 0, m > 0 else { return }
        let tokenBlocks = (n + tokenBlock - 1) / tokenBlock
        let panels = (m + panelRows - 1) / panelRows
        parallelism.forEachChunk(of: tokenBlocks * panels) { tiles in
            let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * k)
            defer { panel.deallocate() }
            var loadedPanel = -1
            // Tiles are ordered panel-major so consecutive tiles of one thread share a dequantised panel.
            for tile in tiles {
                let p = tile / tokenBlocks, t = tile % tokenBlocks
                let row0 = p * panelRows, rowCount = min(panelRows, m - row0)
                if loadedPanel != p {
                    for r in 0..<rowCount { w.dequantizeRow(row0 + r, into: panel + r * k) }
                    loadedPanel = p
                }
                let token0 = t * tokenBlock, tokenCount = min(tokenBlock, n - token0)
                multiplyTile(x + token0 * k, tokens: tokenCount, panel: panel, panelRows: rowCount, k: k,
                             bias: bias.map { $0 + row0 }, into: y + token0 * m + row0, ldy: m)
            }
        }
    }

    /// One tile: `tokens` rows of x (stride k) times `panelRows` f32 weight rows (stride k), written to y (stride ldy).
    @inline(__always)
    static func multiplyTile(_ x: UnsafePointer<Float>, tokens: Int, panel: UnsafePointer<Float>, panelRows: Int, k: Int,
                             bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        let k16 = k & ~15
        var i = 0
        while i + 4 <= tokens {
            var j = 0
            while j + 4 <= panelRows {
                var sums = dot4x4(x + i * k, panel + j * k, k: k16, stride: k)
                if k16 < k {
                    for a in 0..<4 { for b in 0..<4 {
                        var s: Float = 0
                        for c in k16..<k { s += x[(i + a) * k + c] * panel[(j + b) * k + c] }
                        sums[a * 4 + b] += s
                    } }
                }
                for a in 0..<4 {
                    for b in 0..<4 { y[(i + a) * ldy + j + b] = sums[a * 4 + b] + (bias?[j + b] ?? 0) }
                }
                j += 4
            }
            for jj in j..<panelRows {
                for a in 0..<4 {
                    y[(i + a) * ldy + jj] = VectorMath.dot(x + (i + a) * k, panel + jj * k, count: k) + (bias?[jj] ?? 0)
                }
            }
            i += 4
        }
        for ii in i..<tokens {
            for jj in 0..<panelRows {
                y[ii * ldy + jj] = VectorMath.dot(x + ii * k, panel + jj * k, count: k) + (bias?[jj] ?? 0)
            }
        }
    }

    /// The 16 dot products of 4 rows of `a` with 4 rows of `b` over `k` (a multiple of 16) floats; rows are `stride`
    /// floats apart. Result lane 4·i + j is a[i]·b[j]. 16 SIMD16 accumulators + 8 operand vectors fit in 32 zmm.
    @inline(__always)
    static func dot4x4(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, k: Int, stride: Int) -> SIMD16<Float> {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let s = stride * 4
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c02 = SIMD16<Float>(), c03 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>(), c12 = SIMD16<Float>(), c13 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c22 = SIMD16<Float>(), c23 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>(), c32 = SIMD16<Float>(), c33 = SIMD16<Float>()
        var offset = 0
        let end = k * 4
        while offset < end {
            let b0 = rb.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let b1 = rb.loadUnaligned(fromByteOffset: offset + s, as: SIMD16<Float>.self)
            let b2 = rb.loadUnaligned(fromByteOffset: offset + 2 * s, as: SIMD16<Float>.self)
            let b3 = rb.loadUnaligned(fromByteOffset: offset + 3 * s, as: SIMD16<Float>.self)
            let a0 = ra.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            c00.addProduct(a0, b0); c01.addProduct(a0, b1); c02.addProduct(a0, b2); c03.addProduct(a0, b3)
            let a1 = ra.loadUnaligned(fromByteOffset: offset + s, as: SIMD16<Float>.self)
            c10.addProduct(a1, b0); c11.addProduct(a1, b1); c12.addProduct(a1, b2); c13.addProduct(a1, b3)
            let a2 = ra.loadUnaligned(fromByteOffset: offset + 2 * s, as: SIMD16<Float>.self)
            c20.addProduct(a2, b0); c21.addProduct(a2, b1); c22.addProduct(a2, b2); c23.addProduct(a2, b3)
            let a3 = ra.loadUnaligned(fromByteOffset: offset + 3 * s, as: SIMD16<Float>.self)
            c30.addProduct(a3, b0); c31.addProduct(a3, b1); c32.addProduct(a3, b2); c33.addProduct(a3, b3)
            offset += 64
        }
        return SIMD16(lowHalf: SIMD8(lowHalf: reduce4(c00, c01, c02, c03), highHalf: reduce4(c10, c11, c12, c13)),
                      highHalf: SIMD8(lowHalf: reduce4(c20, c21, c22, c23), highHalf: reduce4(c30, c31, c32, c33)))
    }

    /// The four horizontal sums of four vectors by halving (vector adds, then 12 scalar adds).
    @inline(__always)
    static func reduce4(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>) -> SIMD4<Float> {
        let ab = SIMD16(lowHalf: a.lowHalf + a.highHalf, highHalf: b.lowHalf + b.highHalf)
        let cd = SIMD16(lowHalf: c.lowHalf + c.highHalf, highHalf: d.lowHalf + d.highHalf)
        // Lanes 0–3 of `quarters` sum to a, 4–7 to b, 8–11 to c, 12–15 to d.
        let quarters = SIMD16(lowHalf: SIMD8(lowHalf: ab.lowHalf.lowHalf + ab.lowHalf.highHalf,
                                             highHalf: ab.highHalf.lowHalf + ab.highHalf.highHalf),
                              highHalf: SIMD8(lowHalf: cd.lowHalf.lowHalf + cd.lowHalf.highHalf,
                                              highHalf: cd.highHalf.lowHalf + cd.highHalf.highHalf))
        var out = SIMD4<Float>()
        for g in 0..<4 { out[g] = (quarters[4 * g] + quarters[4 * g + 1]) + (quarters[4 * g + 2] + quarters[4 * g + 3]) }
        return out
    }

    /// Plain triple loop in double precision over the reference decoder's weights: the oracle.
    public static func referenceMultiply(_ x: UnsafePointer<Float>, rows n: Int, weights w: WeightMatrix,
                                         bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        var row = [Float](repeating: 0, count: w.columns)
        for j in 0..<w.rows {
            w.referenceDequantizeRow(j, into: &row)
            for i in 0..<n {
                var sum = Double(bias?[j] ?? 0)
                for c in 0..<w.columns { sum += Double(x[i * w.columns + c]) * Double(row[c]) }
                y[i * w.rows + j] = Float(sum)
            }
        }
    }
}
