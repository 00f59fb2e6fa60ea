import CKernels

/// y[n][W.rows] = x[n][W.columns] · Wᵀ (+ bias) in 8-bit integers, for the decoder's prefill and the encoder: on
/// AVX-512 VNNI a `vpdpbusd` does 64 byte products in the time an f32 FMA does 16, on AVX2 `vpmaddubsw` and
/// `vpmaddwd` do 32 in two instructions. Activations are quantised per block as llama.cpp quantises them for
/// these weights (Q8_0 blocks of 32 for Q4_0/Q5_0/Q8_0, Q8_K blocks of 256 for the K-quants), weights are
/// unpacked to signed bytes one panel of 32 rows at a time and reused by every token, and the C micro-kernel
/// (`rag_int8_gemm_4x32`) multiplies 4 rows by 32 tokens, applying each block's scales once per 32 products.
/// `MatrixMultiply` (f32) stays the reference and the path for other types and machines.
public enum Int8MatrixMultiply {
    /// True when this build has the int8 GEMM (AVX-512 VNNI or AVX2).
    public static let isAvailable = rag_int8_gemm_available() != 0

    /// Weight rows unpacked together and kept hot while every token streams past them (a multiple of 4).
    static let panelRows = 32
    /// Tokens per packed activation group; the micro-kernel takes two.
    static let groupTokens = 16
    /// Token groups (pairs of) that reuse one unpacked panel per tile.
    static let pairsPerTile = 8

    /// Whether this build multiplies weights of `type` in int8 (AVX2 leaves Q8_0 to the f32 GEMM).
    public static func supports(_ type: TensorType) -> Bool {
        rag_int8_gemm_supports(ggmlType(type)) != 0
    }

    /// ggml's number for `type`, as the C kernels take it.
    static func ggmlType(_ type: TensorType) -> Int32 {
        switch type {
        case .q4_0: Int32(RAG_TYPE_Q4_0)
        case .q5_0: Int32(RAG_TYPE_Q5_0)
        case .q8_0: Int32(RAG_TYPE_Q8_0)
        case .q4_K: Int32(RAG_TYPE_Q4_K)
        case .q6_K: Int32(RAG_TYPE_Q6_K)
        case .f32, .f16: -1
        }
    }

    /// y = x·Wᵀ + bias. `x`: n × W.columns floats (row-major), `bias`: W.rows floats or nil, `y`: n × W.rows floats
    /// (overwritten). Requires `isAvailable` and `supports(w.type)`.
    public static func multiply(_ x: UnsafePointer<Float>, rows n: Int, weights w: WeightMatrix,
                                bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
                                parallelism: Parallelism) {
        let activations = PackedActivations(x, tokens: n, columns: w.columns, for: w.type, parallelism: parallelism)
        multiply(activations, weights: w, bias: bias, into: y, parallelism: parallelism)
    }

    /// The same for activations already packed for weights of this layout (the query, key and value projections
    /// read the same rows).
    public static func multiply(_ activations: PackedActivations, weights w: WeightMatrix,
                                bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
                                parallelism: Parallelism) {
        precondition(isAvailable && supports(w.type), "no int8 GEMM for \(w.type) in this build")
        precondition(activations.layout == PackedActivations.Layout(for: w.type) && activations.columns == w.columns,
                     "activations packed for other weights")
        let k = w.columns, m = w.rows, n = activations.tokens
        guard n > 0, m > 0 else { return }
        let type = ggmlType(w.type)
        let blockWeights = activations.layout.blockWeights
        let blocks = k / blockWeights
        let hasOffsets = activations.layout.offsets
        let pairs = activations.groups / 2
        let pairChunks = (pairs + pairsPerTile - 1) / pairsPerTile
        let panels = (m + panelRows - 1) / panelRows
        parallelism.forEachChunk(of: panels * pairChunks) { tiles in
            let values = UnsafeMutablePointer<Int8>.allocate(capacity: panelRows * k)
            let scales = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * blocks)
            let sums = UnsafeMutablePointer<Int32>.allocate(capacity: panelRows * blocks)
            let offsets = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * blocks)
            let tile = UnsafeMutablePointer<Float>.allocate(capacity: 4 * 32)
            let tileBias = UnsafeMutablePointer<Float>.allocate(capacity: 4)
            defer {
                values.deallocate(); scales.deallocate(); sums.deallocate(); offsets.deallocate()
                tile.deallocate(); tileBias.deallocate()
            }
            var loadedPanel = -1
            for t in tiles {
                // Tiles are panel-major, so a thread's consecutive tiles share an unpacked panel.
                let p = t / pairChunks, chunk = t % pairChunks
                let row0 = p * panelRows, rowCount = min(panelRows, m - row0)
                if loadedPanel != p {
                    for r in 0..<rowCount {
                        rag_int8_unpack_row(type, w.row(row0 + r), Int32(k), values + r * k, scales + r * blocks,
                                            sums + r * blocks, offsets + r * blocks)
                    }
                    // Rows past the matrix's end are zeros so the kernel can always take 4 rows.
                    if rowCount < panelRows {
                        let missing = panelRows - rowCount
                        (values + rowCount * k).initialize(repeating: 0, count: missing * k)
                        (scales + rowCount * blocks).initialize(repeating: 0, count: missing * blocks)
                        (sums + rowCount * blocks).initialize(repeating: 0, count: missing * blocks)
                        (offsets + rowCount * blocks).initialize(repeating: 0, count: missing * blocks)
                    }
                    loadedPanel = p
                }
                for pair in (chunk * pairsPerTile)..<min(pairs, (chunk + 1) * pairsPerTile) {
                    let token0 = pair * 2 * groupTokens, tokenCount = min(2 * groupTokens, n - token0)
                    let g = 2 * pair
                    var r = 0
                    while r < rowCount {
                        rag_int8_gemm_4x32(values + r * k, Int32(k), Int32(blockWeights), scales + r * blocks,
                                           sums + r * blocks, hasOffsets ? offsets + r * blocks : nil,
                                           activations.bytes + g * groupTokens * k,
                                           activations.scales + g * groupTokens * blocks,
                                           hasOffsets ? activations.sums + g * groupTokens * blocks : nil, tile)
                        // Token by token, so each token's 4 outputs land side by side in one cache line.
                        let rowsHere = min(4, rowCount - r), column0 = row0 + r
                        for i in 0..<rowsHere { tileBias[i] = bias?[column0 + i] ?? 0 }
                        for j in 0..<tokenCount {
                            let out = y + (token0 + j) * m + column0
                            for i in 0..<rowsHere { out[i] = tile[i * 32 + j] + tileBias[i] }
                        }
                        r += 4
                    }
                }
            }
        }
    }
}

/// Token rows quantised and laid out for `rag_int8_gemm_4x32` (see CKernels.h): groups of 16 tokens (an even
/// number of groups, the missing tokens zero), bytes u + 128, and per group each weight block's activation
/// scale and, for offsets, d·Σu.
public final class PackedActivations {
    /// What the packing depends on besides the rows: weights of types with the same layout share it.
    public struct Layout: Equatable, Sendable {
        /// Weights per scale block (32, or 16 for Q6_K).
        let blockWeights: Int
        /// Quantised as llama.cpp does for K-quant weights (Q8_K, blocks of 256), else as for Q8_0 (blocks of 32).
        let kQuant: Bool
        /// Whether d·Σu is kept for weights with offsets (Q4_K's mins).
        let offsets: Bool

        public init(for type: TensorType) {
            blockWeights = Int(rag_int8_block_weights(Int8MatrixMultiply.ggmlType(type)))
            kQuant = type == .q4_K || type == .q6_K
            offsets = type == .q4_K
        }
    }

    public let layout: Layout
    public let tokens: Int
    public let columns: Int
    let groups: Int
    let bytes: UnsafeMutablePointer<UInt8>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>

    /// Quantises and packs `tokens` rows of `columns` floats for weights of `type`.
    public init(_ x: UnsafePointer<Float>, tokens n: Int, columns k: Int, for type: TensorType, parallelism: Parallelism) {
        let layout = Layout(for: type)
        let groupTokens = Int8MatrixMultiply.groupTokens
        let blockWeights = layout.blockWeights, kQuant = layout.kQuant, offsets = layout.offsets
        let blocks = k / blockWeights
        self.layout = layout
        tokens = n
        columns = k
        groups = ((n + groupTokens - 1) / groupTokens + 1) / 2 * 2
        bytes = .allocate(capacity: groups * groupTokens * k)
        scales = .allocate(capacity: groups * groupTokens * blocks)
        sums = .allocate(capacity: offsets ? groups * groupTokens * blocks : 1)
        let (bytes, scales, sums, groups) = (bytes, scales, sums, groups)
        parallelism.forEachChunk(of: groups) { range in
            let codes = UnsafeMutablePointer<Int8>.allocate(capacity: k)
            let blockScales = UnsafeMutablePointer<Float>.allocate(capacity: k / 32)
            defer { codes.deallocate(); blockScales.deallocate() }
            let quantisedBlock = kQuant ? 256 : 32
            for g in range {
                let groupBytes = bytes + g * groupTokens * k
                let groupScales = scales + g * groupTokens * blocks
                for t in 0..<groupTokens {
                    let token = g * groupTokens + t
                    for b in 0..<(k / quantisedBlock) {
                        let block = codes + b * quantisedBlock
                        if token >= n {
                            block.update(repeating: 0, count: quantisedBlock)
                            blockScales[b] = 0
                        } else if kQuant {
                            blockScales[b] = Q8KActivation.quantise(x + token * k + 256 * b, into: block)
                        } else {
                            blockScales[b] = Q8Activation.quantise(x + token * k + 32 * b, into: block)
                        }
                    }
                    // Four codes at a time into their token's slot of each 64-byte step; u + 128 flips each byte's top bit.
                    let raw = UnsafeRawPointer(codes), out = UnsafeMutableRawPointer(groupBytes)
                    for step in 0..<(k / 4) {
                        let four = raw.loadUnaligned(fromByteOffset: 4 * step, as: UInt32.self) ^ 0x8080_8080
                        out.storeBytes(of: four, toByteOffset: step * 64 + t * 4, as: UInt32.self)
                    }
                    for b in 0..<blocks {
                        let d = blockScales[b * blockWeights / quantisedBlock]
                        groupScales[b * groupTokens + t] = d
                        if offsets {
                            var sum = 0
                            for c in (b * blockWeights)..<((b + 1) * blockWeights) { sum += Int(codes[c]) }
                            sums[g * groupTokens * blocks + b * groupTokens + t] = d * Float(sum)
                        }
                    }
                }
            }
        }
    }

    deinit {
        bytes.deallocate()
        scales.deallocate()
        sums.deallocate()
    }
}
