/// y[n][W.rows] = x[n][W.columns] · Wᵀ (+ bias): every linear layer of a batch of tokens at once (encoder layers,
/// decoder prefill). Works for any `WeightMatrix` type: weights are dequantised to f32 one panel of 32 rows at a
/// time (via the format's fast `dequantize`) and reused by up to 64 tokens, so dequantisation costs a few percent.
/// The arithmetic is an outer-product micro-kernel (8 weight rows × 32 tokens, 16 SIMD16 accumulators): per step
/// along the reduction it broadcasts one weight of each of the 8 rows and loads 32 activations, which x packed
/// token-block-major ([block][k][32], zero padded) makes contiguous. The reduction is cut into slices of
/// `sliceColumns`, so the activations and weights one slice touches (32 tokens × 256 columns = 32 KB, the panel's
/// 32 rows × 256 = 32 KB) stay in L1/L2 however wide the matrix: without slicing, a 32-token block of an 8960-wide
/// input (Qwen2.5-1.5B's ffn_down) is 1.1 MB and streamed from L3 for every 8 rows. Each accumulator still adds its
/// products in column order, so the result is bit-identical to the unsliced loop. Tiles (weight panel × token
/// group) are spread over threads.
public enum MatrixMultiply {
    /// Weight rows dequantised together and kept hot in cache while a token group streams past them.
    static let panelRows = 32
    /// Tokens per packed activation block: the micro-kernel's width.
    static let blockTokens = 32
    /// Token blocks that reuse one dequantised panel.
    static let blocksPerGroup = 2
    /// Reduction columns per pass of the micro-kernel (see the type's comment).
    static let sliceColumns = 256

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
            // One 8 × 32 accumulator tile per 8 panel rows and token block of a group, kept across the slices.
            let tilesPerGroup = (panelRows / 8) * blocksPerGroup, tileFloats = 8 * blockTokens
            let accumulators = UnsafeMutablePointer<Float>.allocate(capacity: tilesPerGroup * tileFloats)
            defer { panel.deallocate(); accumulators.deallocate() }
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
                let firstBlock = g * blocksPerGroup, groupBlocks = min(blocks, firstBlock + blocksPerGroup) - firstBlock
                accumulators.initialize(repeating: 0, count: tilesPerGroup * tileFloats)
                var column0 = 0
                while column0 < k {
                    let width = min(sliceColumns, k - column0)
                    for bi in 0..<groupBlocks {
                        let b = firstBlock + bi
                        let activations = packed + b * k * blockTokens + column0 * blockTokens
                        let short = n - b * blockTokens <= 16  // a short block (a query): skip its all-zero upper half
                        var r = 0
                        while r < rowCount {
                            let tile = accumulators + ((r / 8) * blocksPerGroup + bi) * tileFloats
                            if short {
                                kernel8x16(panel + r * k + column0, rowStride: k, columns: width, activations, accumulating: tile)
                            } else {
                                kernel8x32(panel + r * k + column0, rowStride: k, columns: width, activations, accumulating: tile)
                            }
                            r += 8
                        }
                    }
                    column0 += width
                }
                // tile[row][token] → y[token][column], with bias.
                for bi in 0..<groupBlocks {
                    let token0 = (firstBlock + bi) * blockTokens, tokenCount = min(blockTokens, n - token0)
                    for row in 0..<rowCount {
                        let tile = accumulators + ((row / 8) * blocksPerGroup + bi) * tileFloats + (row % 8) * blockTokens
                        let column = row0 + row
                        let add = bias?[column] ?? 0
                        for j in 0..<tokenCount { y[(token0 + j) * m + column] = tile[j] + add }
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

    /// tile[i][j] += Σ_c w[i][c] · a[c][j] for 8 weight rows (`rowStride` apart), `columns` columns and 32 packed
    /// tokens (`a` at the slice's first column).
    @inline(__always)
    static func kernel8x32(_ w: UnsafePointer<Float>, rowStride k: Int, columns: Int, _ a: UnsafePointer<Float>,
                           accumulating tile: UnsafeMutablePointer<Float>) {
        let ra = UnsafeRawPointer(a)
        let out = UnsafeMutableRawPointer(tile)
        @inline(__always) func load(_ row: Int, _ half: Int) -> SIMD16<Float> {
            out.loadUnaligned(fromByteOffset: row * 128 + half * 64, as: SIMD16<Float>.self)
        }
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k, w6 = w + 6 * k, w7 = w + 7 * k
        var c00 = load(0, 0), c01 = load(0, 1), c10 = load(1, 0), c11 = load(1, 1)
        var c20 = load(2, 0), c21 = load(2, 1), c30 = load(3, 0), c31 = load(3, 1)
        var c40 = load(4, 0), c41 = load(4, 1), c50 = load(5, 0), c51 = load(5, 1)
        var c60 = load(6, 0), c61 = load(6, 1), c70 = load(7, 0), c71 = load(7, 1)
        for c in 0..<columns {
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
        @inline(__always) func store(_ row: Int, _ low: SIMD16<Float>, _ high: SIMD16<Float>) {
            out.storeBytes(of: low, toByteOffset: row * 128, as: SIMD16<Float>.self)
            out.storeBytes(of: high, toByteOffset: row * 128 + 64, as: SIMD16<Float>.self)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    }

    /// kernel8x32 for blocks of at most 16 tokens: only tile[i][0..<16] is read and written.
    @inline(__always)
    static func kernel8x16(_ w: UnsafePointer<Float>, rowStride k: Int, columns: Int, _ a: UnsafePointer<Float>,
                           accumulating tile: UnsafeMutablePointer<Float>) {
        let ra = UnsafeRawPointer(a)
        let out = UnsafeMutableRawPointer(tile)
        @inline(__always) func load(_ row: Int) -> SIMD16<Float> { out.loadUnaligned(fromByteOffset: row * 128, as: SIMD16<Float>.self) }
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k, w6 = w + 6 * k, w7 = w + 7 * k
        var c0 = load(0), c1 = load(1), c2 = load(2), c3 = load(3)
        var c4 = load(4), c5 = load(5), c6 = load(6), c7 = load(7)
        for c in 0..<columns {
            let a0 = ra.loadUnaligned(fromByteOffset: c * 128, as: SIMD16<Float>.self)
            c0.addProduct(SIMD16(repeating: w0[c]), a0); c1.addProduct(SIMD16(repeating: w1[c]), a0)
            c2.addProduct(SIMD16(repeating: w2[c]), a0); c3.addProduct(SIMD16(repeating: w3[c]), a0)
            c4.addProduct(SIMD16(repeating: w4[c]), a0); c5.addProduct(SIMD16(repeating: w5[c]), a0)
            c6.addProduct(SIMD16(repeating: w6[c]), a0); c7.addProduct(SIMD16(repeating: w7[c]), a0)
        }
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
