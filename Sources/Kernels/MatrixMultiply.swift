/// y[n][W.rows] = x[n][W.columns] · Wᵀ (+ bias): every linear layer of a batch of tokens at once (encoder layers,
/// decoder prefill). Works for any `WeightMatrix` type: weights are dequantised to f32 one panel of 32 rows at a
/// time (via the format's fast `dequantize`) and reused by up to 64 tokens, so dequantisation costs a few percent.
/// The arithmetic is an outer-product micro-kernel (8 weight rows × 32 tokens, 16 SIMD16 accumulators): per step
/// along the reduction it broadcasts one weight of each of the 8 rows and loads 32 activations, which x packed
/// token-block-major ([block][k][32], zero padded) makes contiguous. Tiles (weight panel × token group) are spread
/// over threads.
public enum MatrixMultiply {
    /// Weight rows dequantised together and kept hot in cache while a token group streams past them.
    static let panelRows = 32
    /// Tokens per packed activation block: the micro-kernel's width.
    static let blockTokens = 32
    /// Token blocks that reuse one dequantised panel.
    static let blocksPerGroup = 2

    /// y = x·Wᵀ + bias. `x`: n × W.columns floats (row-major), `bias`: W.rows floats or nil,
    /// `y`: n × W.rows floats (row-major, overwritten). `x` and `y` must not overlap.
    public static func multiply(_ x: UnsafePointer<Float>, rows n: Int, weights w: WeightMatrix,
                                bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
                                parallelism: Parallelism) {
        let k = w.columns, m = w.rows
        guard n > 0, m > 0 else { return }
        // Pack x: block b holds tokens 32b ..< 32b + 32 as [k][32] (missing tokens are zeros).
        let blocks = (n + blockTokens - 1) / blockTokens
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: blocks * k * blockTokens)
        defer { packed.deallocate() }
        parallelism.forEachChunk(of: blocks) { range in
            for b in range { pack(x, tokens: n, k: k, block: b, into: packed + b * k * blockTokens) }
        }
        let groups = (blocks + blocksPerGroup - 1) / blocksPerGroup
        let panels = (m + panelRows - 1) / panelRows
        parallelism.forEachChunk(of: groups * panels) { tiles in
            let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * k)
            let tile = UnsafeMutablePointer<Float>.allocate(capacity: 8 * blockTokens)
            defer { panel.deallocate(); tile.deallocate() }
            var loadedPanel = -1
            // Tiles are ordered panel-major so consecutive tiles of one thread share a dequantised panel.
            for t in tiles {
                let p = t / groups, g = t % groups
                let row0 = p * panelRows, rowCount = min(panelRows, m - row0)
                if loadedPanel != p {
                    for r in 0..<rowCount { w.dequantizeRow(row0 + r, into: panel + r * k) }
                    // Rows past the matrix's end are zeros so the kernel can always take 8 rows.
                    if rowCount < panelRows { (panel + rowCount * k).initialize(repeating: 0, count: (panelRows - rowCount) * k) }
                    loadedPanel = p
                }
                for b in (g * blocksPerGroup)..<min(blocks, (g + 1) * blocksPerGroup) {
                    let token0 = b * blockTokens, tokenCount = min(blockTokens, n - token0)
                    var r = 0
                    while r < rowCount {
                        if tokenCount <= 16 {  // short blocks (a query): skip the all-zero upper half
                            kernel8x16(panel + r * k, k: k, packed + b * k * blockTokens, into: tile)
                        } else {
                            kernel8x32(panel + r * k, k: k, packed + b * k * blockTokens, into: tile)
                        }
                        // tile[row][token] → y[token][column], with bias.
                        for i in 0..<min(8, rowCount - r) {
                            let column = row0 + r + i
                            let add = bias?[column] ?? 0
                            for j in 0..<tokenCount { y[(token0 + j) * m + column] = tile[i * blockTokens + j] + add }
                        }
                        r += 8
                    }
                }
            }
        }
    }

    /// Copies tokens 32·block ..< 32·block + 32 of x (n × k) into `out` as [k][32], zero-padding missing tokens.
    static func pack(_ x: UnsafePointer<Float>, tokens n: Int, k: Int, block: Int, into out: UnsafeMutablePointer<Float>) {
        let token0 = block * blockTokens, count = min(blockTokens, n - token0)
        if count < blockTokens { out.initialize(repeating: 0, count: k * blockTokens) }
        for j in 0..<count {
            let row = x + (token0 + j) * k
            for c in 0..<k { out[c * blockTokens + j] = row[c] }
        }
    }

    /// tile[i][j] = Σ_c w[i][c] · a[c][j] for 8 weight rows (`k` apart) and 32 packed tokens.
    @inline(__always)
    static func kernel8x32(_ w: UnsafePointer<Float>, k: Int, _ a: UnsafePointer<Float>,
                           into tile: UnsafeMutablePointer<Float>) {
        let ra = UnsafeRawPointer(a)
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k, w6 = w + 6 * k, w7 = w + 7 * k
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
        for c in 0..<k {
            let a0 = ra.loadUnaligned(fromByteOffset: c * 128, as: SIMD16<Float>.self)
            let a1 = ra.loadUnaligned(fromByteOffset: c * 128 + 64, as: SIMD16<Float>.self)
            let b0 = SIMD16<Float>(repeating: w0[c]); c00.addProduct(b0, a0); c01.addProduct(b0, a1)
            let b1 = SIMD16<Float>(repeating: w1[c]); c10.addProduct(b1, a0); c11.addProduct(b1, a1)
            let b2 = SIMD16<Float>(repeating: w2[c]); c20.addProduct(b2, a0); c21.addProduct(b2, a1)
            let b3 = SIMD16<Float>(repeating: w3[c]); c30.addProduct(b3, a0); c31.addProduct(b3, a1)
            let b4 = SIMD16<Float>(repeating: w4[c]); c40.addProduct(b4, a0); c41.addProduct(b4, a1)
            let b5 = SIMD16<Float>(repeating: w5[c]); c50.addProduct(b5, a0); c51.addProduct(b5, a1)
            let b6 = SIMD16<Float>(repeating: w6[c]); c60.addProduct(b6, a0); c61.addProduct(b6, a1)
            let b7 = SIMD16<Float>(repeating: w7[c]); c70.addProduct(b7, a0); c71.addProduct(b7, a1)
        }
        let out = UnsafeMutableRawPointer(tile)
        @inline(__always) func store(_ row: Int, _ low: SIMD16<Float>, _ high: SIMD16<Float>) {
            out.storeBytes(of: low, toByteOffset: row * 128, as: SIMD16<Float>.self)
            out.storeBytes(of: high, toByteOffset: row * 128 + 64, as: SIMD16<Float>.self)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    }

    /// kernel8x32 for blocks of at most 16 tokens: only tile[i][0..<16] is written.
    @inline(__always)
    static func kernel8x16(_ w: UnsafePointer<Float>, k: Int, _ a: UnsafePointer<Float>,
                           into tile: UnsafeMutablePointer<Float>) {
        let ra = UnsafeRawPointer(a)
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k, w6 = w + 6 * k, w7 = w + 7 * k
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
        var c4 = SIMD16<Float>(), c5 = SIMD16<Float>(), c6 = SIMD16<Float>(), c7 = SIMD16<Float>()
        for c in 0..<k {
            let a0 = ra.loadUnaligned(fromByteOffset: c * 128, as: SIMD16<Float>.self)
            c0.addProduct(SIMD16(repeating: w0[c]), a0); c1.addProduct(SIMD16(repeating: w1[c]), a0)
            c2.addProduct(SIMD16(repeating: w2[c]), a0); c3.addProduct(SIMD16(repeating: w3[c]), a0)
            c4.addProduct(SIMD16(repeating: w4[c]), a0); c5.addProduct(SIMD16(repeating: w5[c]), a0)
            c6.addProduct(SIMD16(repeating: w6[c]), a0); c7.addProduct(SIMD16(repeating: w7[c]), a0)
        }
        let out = UnsafeMutableRawPointer(tile)
        out.storeBytes(of: c0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: c1, toByteOffset: 128, as: SIMD16<Float>.self)
        out.storeBytes(of: c2, toByteOffset: 256, as: SIMD16<Float>.self)
        out.storeBytes(of: c3, toByteOffset: 384, as: SIMD16<Float>.self)
        out.storeBytes(of: c4, toByteOffset: 512, as: SIMD16<Float>.self)
        out.storeBytes(of: c5, toByteOffset: 640, as: SIMD16<Float>.self)
        out.storeBytes(of: c6, toByteOffset: 768, as: SIMD16<Float>.self)
        out.storeBytes(of: c7, toByteOffset: 896, as: SIMD16<Float>.self)
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
