/// The scratch buffers of one forward pass through a decoder-only Transformer, allocated once for `batch` tokens
/// (prefill runs in chunks of at most `batch`; decode uses row 0). Shapes are in floats, row-major per token.
final class DecoderRunState {
    let batch: Int
    /// Residual stream, batch × embedding.
    let hidden: UnsafeMutablePointer<Float>
    /// Normalised input of the current sub-layer, batch × embedding.
    let normed: UnsafeMutablePointer<Float>
    /// Queries, batch × heads·headDim.
    let queries: UnsafeMutablePointer<Float>
    /// Attention output before its projection, batch × heads·headDim.
    let attention: UnsafeMutablePointer<Float>
    /// A sub-layer's projected output before it joins the residual, batch × embedding.
    let projected: UnsafeMutablePointer<Float>
    /// Feed-forward gate and up projections, batch × feedForward each.
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    /// A linear layer's input after `ActivationRounding`, batch × max(embedding, feedForward).
    let rounded: UnsafeMutablePointer<Float>
    /// RoPE cos/sin per token, batch × headDim/2 each.
    let cosines: UnsafeMutablePointer<Float>
    let sines: UnsafeMutablePointer<Float>
    /// Logits for up to `logitRows` tokens at a time, logitRows × vocabulary.
    let logits: UnsafeMutablePointer<Float>
    let logitRows: Int
    private var allocations: [UnsafeMutablePointer<Float>] = []

    init(config: ModelConfig, batch: Int, logitRows: Int) {
        self.batch = batch
        self.logitRows = logitRows
        var owned: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            owned.append(p)
            return p
        }
        let d = config.embeddingLength, q = config.headCount * config.headDimension
        hidden = buffer(batch * d)
        normed = buffer(batch * d)
        queries = buffer(batch * q)
        attention = buffer(batch * q)
        projected = buffer(batch * d)
        gate = buffer(batch * config.feedForwardLength)
        up = buffer(batch * config.feedForwardLength)
        rounded = buffer(batch * max(d, q, config.feedForwardLength))
        cosines = buffer(batch * config.headDimension / 2)
        sines = buffer(batch * config.headDimension / 2)
        logits = buffer(logitRows * config.vocabularySize)
        allocations = owned
    }

    deinit { allocations.forEach { $0.deallocate() } }
}
