import Kernels
import ModelFiles

/// Qwen2 (Qwen2.5 0.5B–72B): a pre-norm decoder-only Transformer. Per block: RMSNorm → grouped-query attention
/// (Q/K/V with biases, NeoX RoPE) → residual; RMSNorm → SwiGLU feed-forward → residual. Then a final RMSNorm and
/// the output projection to vocabulary logits. Weights stay where they lie in the mapped GGUF file, in their
/// quantised types; prefill runs GEMM-shaped (`Int8MatrixMultiply`, or the f32 `MatrixMultiply`), decode
/// matrix-vector (`MatrixVector`).
public final class Qwen2Decoder: LanguageModel {
    /// The weights of one Transformer block; matrices are (rows = outputs) × (columns = inputs).
    struct Block {
        let attentionNorm: UnsafePointer<Float>       // embedding
        let query, key, value: WeightMatrix           // heads·headDim × embedding, kvDim × embedding (twice)
        let queryBias, keyBias, valueBias: UnsafePointer<Float>
        let attentionOutput: WeightMatrix             // embedding × heads·headDim
        let feedForwardNorm: UnsafePointer<Float>     // embedding
        let gate, up: WeightMatrix                    // feedForward × embedding
        let down: WeightMatrix                        // embedding × feedForward
    }

    public let config: ModelConfig
    public let contextLength: Int
    public private(set) var position = 0

    /// Keeps the mapping alive: every weight pointer points into it.
    private let file: GGUFFile
    private let tokenEmbedding: WeightMatrix          // vocabulary × embedding
    private let outputNorm: UnsafePointer<Float>
    private let output: WeightMatrix                  // vocabulary × embedding (the embedding itself when tied)
    private let blocks: [Block]
    private let cache: KVCache
    private let state: DecoderRunState
    private let rope: RotaryEmbedding
    private let attention: GroupedQueryAttention
    private let parallelism: Parallelism
    /// Whether activations go through llama.cpp's 8-bit rounding before each quantised product (see
    /// `ActivationRounding`).
    private let roundsActivations: Bool
    /// Whether prefill multiplies in 8-bit integers (see `InferenceOptions.prefill`).
    private let prefillsInInt8: Bool

    /// Prompt tokens processed together; longer prompts are prefilled in chunks of this size.
    static let prefillBatch = 256
    /// Prompt tokens from which attention runs as matrix products (`GroupedQueryAttention.applyBatched`).
    static let batchedAttentionTokens = 16
    /// Tokens whose logits are computed together (32 × 151936 floats = 19 MB).
    static let logitBatch = 32

    public init(file: GGUFFile, options: InferenceOptions) throws {
        let config = try ModelConfig(file: file, architecture: "qwen2")
        let d = config.embeddingLength, q = config.headCount * config.headDimension, kv = config.kvDimension
        let ff = config.feedForwardLength
        let binder = WeightBinder(file: file)
        tokenEmbedding = try binder.matrix("token_embd.weight", rows: config.vocabularySize, columns: d)
        outputNorm = try binder.vector("output_norm.weight", count: d)
        output = binder.has("output.weight")
            ? try binder.matrix("output.weight", rows: config.vocabularySize, columns: d) : tokenEmbedding
        blocks = try (0..<config.blockCount).map { i in
            let p = "blk.\(i)."
            return Block(attentionNorm: try binder.vector(p + "attn_norm.weight", count: d),
                         query: try binder.matrix(p + "attn_q.weight", rows: q, columns: d),
                         key: try binder.matrix(p + "attn_k.weight", rows: kv, columns: d),
                         value: try binder.matrix(p + "attn_v.weight", rows: kv, columns: d),
                         queryBias: try binder.vector(p + "attn_q.bias", count: q),
                         keyBias: try binder.vector(p + "attn_k.bias", count: kv),
                         valueBias: try binder.vector(p + "attn_v.bias", count: kv),
                         attentionOutput: try binder.matrix(p + "attn_output.weight", rows: d, columns: q),
                         feedForwardNorm: try binder.vector(p + "ffn_norm.weight", count: d),
                         gate: try binder.matrix(p + "ffn_gate.weight", rows: ff, columns: d),
                         up: try binder.matrix(p + "ffn_up.weight", rows: ff, columns: d),
                         down: try binder.matrix(p + "ffn_down.weight", rows: d, columns: ff))
        }
        try binder.finish()

        self.file = file
        self.config = config
        contextLength = max(1, min(options.contextLength, config.trainedContextLength))
        parallelism = options.parallelism
        roundsActivations = options.roundsActivationsLikeLlamaCpp
        prefillsInInt8 = options.prefill == .int8 && roundsActivations && Int8MatrixMultiply.isAvailable
        cache = KVCache(blocks: config.blockCount, capacity: contextLength, width: kv)
        state = DecoderRunState(config: config, batch: Self.prefillBatch, logitRows: Self.logitBatch)
        rope = RotaryEmbedding(headDimension: config.headDimension, base: config.ropeBase)
        attention = GroupedQueryAttention(heads: config.headCount, kvHeads: config.kvHeadCount,
                                          headDimension: config.headDimension)
    }

    public func reset() { position = 0 }

    public func rewind(to newPosition: Int) { position = max(0, min(position, newPosition)) }

    public func forward(_ tokens: [Int], logitsFor wanted: Range<Int>,
                        _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        try run(tokens, logitsFor: wanted, stepwise: false, visit)
    }

    public func decodeSteps(_ tokens: [Int], _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        try run(tokens, logitsFor: tokens.indices, stepwise: true, visit)
    }

    /// `forward`, with every linear layer computed per token as in decode when `stepwise` (see `linear`).
    private func run(_ tokens: [Int], logitsFor wanted: Range<Int>, stepwise: Bool,
                     _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        guard !tokens.isEmpty else { throw InferenceError.emptyPrompt }
        guard position + tokens.count <= contextLength else {
            throw InferenceError.contextFull(limit: contextLength, needed: position + tokens.count)
        }
        if let bad = tokens.first(where: { !(0..<config.vocabularySize).contains($0) }) {
            throw InferenceError.tokenOutOfRange(bad, vocabularySize: config.vocabularySize)
        }
        var chunkStart = 0
        while chunkStart < tokens.count {
            let chunk = chunkStart..<min(tokens.count, chunkStart + state.batch)
            runBlocks(Array(tokens[chunk]), stepwise: stepwise)
            let local = wanted.clamped(to: chunk)
            if !local.isEmpty {
                let rows = (local.lowerBound - chunkStart)..<(local.upperBound - chunkStart)
                try computeLogits(rows: rows, stepwise: stepwise) { row, logits in
                    try visit(chunkStart + row, logits)
                }
            }
            chunkStart = chunk.upperBound
        }
    }

    /// Runs `tokens` (at most one batch) through every block, appending their keys and values to the cache and
    /// leaving their final residual streams in `state.hidden`.
    private func runBlocks(_ tokens: [Int], stepwise: Bool) {
        let n = tokens.count, start = position
        let d = config.embeddingLength, q = config.headCount * config.headDimension, kv = config.kvDimension
        let half = config.headDimension / 2
        for (i, token) in tokens.enumerated() {
            tokenEmbedding.dequantizeRow(token, into: state.hidden + i * d)
            rope.angles(position: start + i, cosines: state.cosines + i * half, sines: state.sines + i * half)
        }
        for (b, block) in blocks.enumerated() {
            // Attention sub-layer. New keys and values are written straight into the cache rows they belong to.
            RMSNorm.apply(state.hidden, rows: n, width: d, weight: block.attentionNorm, epsilon: config.rmsNormEpsilon,
                          into: state.normed)
            let keys = cache.keys(block: b, position: start), values = cache.values(block: b, position: start)
            var normed = LayerInput(state.normed, rows: n, width: d)
            linear(&normed, block.query, block.queryBias, stepwise: stepwise, into: state.queries)
            linear(&normed, block.key, block.keyBias, stepwise: stepwise, into: keys)
            linear(&normed, block.value, block.valueBias, stepwise: stepwise, into: values)
            for i in 0..<n {
                let cosines = state.cosines + i * half, sines = state.sines + i * half
                rope.rotate(state.queries + i * q, heads: config.headCount, cosines: cosines, sines: sines)
                rope.rotate(keys + i * kv, heads: config.kvHeadCount, cosines: cosines, sines: sines)
            }
            if stepwise || n < Self.batchedAttentionTokens {
                attention.apply(queries: state.queries, tokens: n, start: start, keys: cache.keys(block: b, position: 0),
                                values: cache.values(block: b, position: 0), into: state.attention,
                                parallelism: parallelism)
            } else {
                attention.applyBatched(queries: state.queries, tokens: n, start: start,
                                       keys: cache.keys(block: b, position: 0), values: cache.values(block: b, position: 0),
                                       into: state.attention, parallelism: parallelism)
            }
            var attended = LayerInput(state.attention, rows: n, width: q)
            linear(&attended, block.attentionOutput, nil, stepwise: stepwise, into: state.projected)
            addResidual(n * d)

            // Feed-forward sub-layer.
            RMSNorm.apply(state.hidden, rows: n, width: d, weight: block.feedForwardNorm,
                          epsilon: config.rmsNormEpsilon, into: state.normed)
            var feedForwardInput = LayerInput(state.normed, rows: n, width: d)
            linear(&feedForwardInput, block.gate, nil, stepwise: stepwise, into: state.gate)
            linear(&feedForwardInput, block.up, nil, stepwise: stepwise, into: state.up)
            SwiGLU.apply(gate: state.gate, up: state.up, count: n * config.feedForwardLength)
            var activated = LayerInput(state.gate, rows: n, width: config.feedForwardLength)
            linear(&activated, block.down, nil, stepwise: stepwise, into: state.projected)
            addResidual(n * d)
        }
        position += n
    }

    /// Final norm and output projection for the chunk rows `rows`, `logitBatch` rows at a time.
    private func computeLogits(rows: Range<Int>, stepwise: Bool, _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        let d = config.embeddingLength, vocabulary = config.vocabularySize
        var first = rows.lowerBound
        while first < rows.upperBound {
            let count = min(state.logitRows, rows.upperBound - first)
            RMSNorm.apply(state.hidden + first * d, rows: count, width: d, weight: outputNorm,
                          epsilon: config.rmsNormEpsilon, into: state.normed)
            var normed = LayerInput(state.normed, rows: count, width: d)
            linear(&normed, output, nil, stepwise: stepwise, into: state.logits)
            for r in 0..<count {
                try visit(first + r, UnsafeBufferPointer(start: state.logits + r * vocabulary, count: vocabulary))
            }
            first += count
        }
    }

    /// y = x·Wᵀ + bias for the input's token rows: matrix-vector for one token (decode), GEMM for several
    /// (prefill: in 8-bit integers on the same quantised activations where it can). `stepwise` runs several tokens
    /// through the matrix-vector kernels instead, each row exactly as its own decode step would (a GEMM sums in
    /// another order), reading the weights once for all of them.
    private func linear(_ input: inout LayerInput, _ w: WeightMatrix, _ bias: UnsafePointer<Float>?,
                        stepwise: Bool, into y: UnsafeMutablePointer<Float>) {
        let n = input.rows
        let asDecode = n == 1 || stepwise
        if asDecode, roundsActivations {
            // Decode: integer kernels on the same 8-bit activation the rounding below would produce.
            switch w.type {
            case .q5_0, .q8_0:
                MatrixVector.multiply(w, input.blocksOf32(), bias: bias, into: y, parallelism: parallelism)
                return
            case .q4_K, .q6_K:
                MatrixVector.multiply(w, input.blocksOf256(), bias: bias, into: y, parallelism: parallelism)
                return
            default:
                break
            }
        }
        if !asDecode, prefillsInInt8, Int8MatrixMultiply.supports(w.type) {
            Int8MatrixMultiply.multiply(input.packed(for: w.type, parallelism: parallelism), weights: w, bias: bias,
                                        into: y, parallelism: parallelism)
            return
        }
        let x = roundsActivations ? input.rounded(for: w.type, into: state.rounded) : input.values
        if asDecode {
            for t in 0..<n {
                MatrixVector.multiply(w, x + t * w.columns, bias: bias, into: y + t * w.rows, parallelism: parallelism)
            }
        } else {
            MatrixMultiply.multiply(x, rows: n, weights: w, bias: bias, into: y, parallelism: parallelism)
        }
    }

    /// hidden += projected over `count` floats.
    private func addResidual(_ count: Int) {
        let h = UnsafeMutableRawPointer(state.hidden), p = UnsafeRawPointer(state.projected)
        var i = 0
        while i + 16 <= count {
            let sum = h.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                + p.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            h.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            state.hidden[i] += state.projected[i]
            i += 1
        }
    }
}
