/// Activation buffers for one batch of token rows, allocated once and reused by every layer.
/// Shapes are [tokens][width], row-major, tokens of all windows concatenated.
final class E5RunState {
    let capacity: Int
    let x: UnsafeMutablePointer<Float>         // [T][H] hidden state
    let query: UnsafeMutablePointer<Float>     // [T][H]
    let key: UnsafeMutablePointer<Float>       // [T][H]
    let value: UnsafeMutablePointer<Float>     // [T][H]
    let context: UnsafeMutablePointer<Float>   // [T][H] attention output before its projection
    let projected: UnsafeMutablePointer<Float> // [T][H] output of a projection, before residual + LayerNorm
    let hidden: UnsafeMutablePointer<Float>    // [T][FF] feed-forward activations

    init(tokens: Int, hiddenSize h: Int, intermediateSize ff: Int) {
        capacity = tokens
        func buffer(_ width: Int) -> UnsafeMutablePointer<Float> {
            // Not zeroed: every buffer is fully written by the step that produces it before anything reads it.
            UnsafeMutablePointer<Float>.allocate(capacity: max(1, tokens * width))
        }
        x = buffer(h); query = buffer(h); key = buffer(h); value = buffer(h)
        context = buffer(h); projected = buffer(h); hidden = buffer(ff)
    }

    deinit {
        for p in [x, query, key, value, context, projected, hidden] { p.deallocate() }
    }
}
