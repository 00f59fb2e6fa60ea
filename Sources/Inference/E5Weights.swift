import Kernels
import ModelFiles

/// Every tensor of an e5 encoder, bound strictly by name with the shape the header implies (a missing or mis-sized
/// tensor is an error at load time, never a crash mid-batch). Views point into the mapped model file.
struct E5Weights {
    /// One post-LN encoder layer. Matrices are PyTorch `nn.Linear` layout: [out][in].
    struct Layer {
        let query, key, value, attentionOutput: WeightMatrix       // [H][H]
        let queryBias, keyBias, valueBias, attentionOutputBias: UnsafeBufferPointer<Float>  // [H]
        let attentionNormWeight, attentionNormBias: UnsafeBufferPointer<Float>              // [H]
        let intermediate: WeightMatrix                              // [FF][H]
        let intermediateBias: UnsafeBufferPointer<Float>            // [FF]
        let output: WeightMatrix                                    // [H][FF]
        let outputBias, outputNormWeight, outputNormBias: UnsafeBufferPointer<Float>  // [H]
    }

    let wordEmbeddings: WeightMatrix                   // [vocabularyRows][H]
    let positionEmbeddings: UnsafeBufferPointer<Float> // [maxPositions][H]
    let tokenTypeEmbeddings: UnsafeBufferPointer<Float> // [tokenTypes][H]; row 0 is used
    let embeddingNormWeight, embeddingNormBias: UnsafeBufferPointer<Float>  // [H]
    let layers: [Layer]

    init(file: E5ModelFile) throws {
        let p = file.hyperparameters
        let h = p.hiddenSize, ff = p.intermediateSize
        wordEmbeddings = try file.matrix("emb.word", rows: p.vocabularyRows, columns: h)
        positionEmbeddings = try file.vector("emb.pos", count: p.maxPositions * h)
        tokenTypeEmbeddings = try file.vector("emb.type", count: p.tokenTypeCount * h)
        embeddingNormWeight = try file.vector("emb.ln.w", count: h)
        embeddingNormBias = try file.vector("emb.ln.b", count: h)
        layers = try (0..<p.layerCount).map { l in
            func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> WeightMatrix {
                try file.matrix("l\(l).\(name)", rows: rows, columns: columns)
            }
            func vector(_ name: String, _ count: Int) throws -> UnsafeBufferPointer<Float> {
                try file.vector("l\(l).\(name)", count: count)
            }
            return Layer(
                query: try matrix("q.w", h, h), key: try matrix("k.w", h, h), value: try matrix("v.w", h, h),
                attentionOutput: try matrix("ao.w", h, h),
                queryBias: try vector("q.b", h), keyBias: try vector("k.b", h), valueBias: try vector("v.b", h),
                attentionOutputBias: try vector("ao.b", h),
                attentionNormWeight: try vector("aln.w", h), attentionNormBias: try vector("aln.b", h),
                intermediate: try matrix("fi.w", ff, h), intermediateBias: try vector("fi.b", ff),
                output: try matrix("fo.w", h, ff), outputBias: try vector("fo.b", h),
                outputNormWeight: try vector("oln.w", h), outputNormBias: try vector("oln.b", h))
        }
    }
}
