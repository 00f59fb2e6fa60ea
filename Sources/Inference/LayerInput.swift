import Kernels

/// The token rows a linear layer multiplies, quantised to 8 bits at most once per block size: the query, key and
/// value projections read the same normalised rows, as do a decoder's gate and up.
struct LayerInput {
    let values: UnsafePointer<Float>
    let rows: Int
    let width: Int
    private var q8: Q8Activation?
    private var q8K: Q8KActivation?
    private var packed: PackedActivations?
    /// The block size whose `ActivationRounding` the last `rounded` call wrote.
    private var roundedBlockSize: Int?

    init(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        self.values = UnsafePointer(values)
        self.rows = rows
        self.width = width
    }

    /// Q8_0 blocks of 32, for Q5_0 and Q8_0 weights.
    mutating func blocksOf32() -> Q8Activation {
        if let q8 { return q8 }
        let quantised = Q8Activation(values, count: width, vectors: rows)
        q8 = quantised
        return quantised
    }

    /// Q8_K blocks of 256, for the K-quants.
    mutating func blocksOf256() -> Q8KActivation {
        if let q8K { return q8K }
        let quantised = Q8KActivation(values, count: width, vectors: rows)
        q8K = quantised
        return quantised
    }

    /// The rows after llama.cpp's 8-bit rounding for weights of `type` (`ActivationRounding`), written into `buffer`
    /// (rows × width floats) unless the previous call already wrote them for the same block size; the rows
    /// themselves for unquantised weights. Nothing else may write `buffer` between a layer input's calls.
    mutating func rounded(for type: TensorType, into buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        guard let blockSize = ActivationRounding.blockSize(for: type) else { return values }
        if roundedBlockSize != blockSize {
            ActivationRounding.apply(values, count: rows * width, for: type, into: buffer)
            roundedBlockSize = blockSize
        }
        return UnsafePointer(buffer)
    }

    /// The rows packed for the int8 GEMM with weights of `type`, packed again only for another layout.
    mutating func packed(for type: TensorType, parallelism: Parallelism) -> PackedActivations {
        if let packed, packed.layout == PackedActivations.Layout(for: type) { return packed }
        let activations = PackedActivations(values, tokens: rows, columns: width, for: type, parallelism: parallelism)
        packed = activations
        return activations
    }
}
