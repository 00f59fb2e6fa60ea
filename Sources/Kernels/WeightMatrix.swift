/// A read-only 2-D weight tensor `W[rows][columns]` in any `TensorType`, viewed where it lies (usually inside a
/// memory-mapped model file). `columns` is the row length (ggml's `ne[0]`), so `y = W·x` maps `columns` → `rows`.
/// The memory must outlive the view; the model that owns the mapping guarantees that.
public struct WeightMatrix: @unchecked Sendable {
    public let type: TensorType
    public let rows: Int
    public let columns: Int
    /// First byte of row 0; rows are contiguous, `rowBytes` apart.
    public let base: UnsafeRawPointer
    /// Bytes per row.
    public let rowBytes: Int

    /// Views `rows × columns` weights of `type` at `base`. Returns nil when a row is not a whole number of blocks.
    public init?(type: TensorType, rows: Int, columns: Int, base: UnsafeRawPointer) {
        guard rows >= 0, let rowBytes = type.byteCount(weights: columns) else { return nil }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.base = base
        self.rowBytes = rowBytes
    }

    /// Bytes taken by the whole matrix.
    public var byteCount: Int { rows * rowBytes }

    /// Start of row `r`.
    @inline(__always)
    public func row(_ r: Int) -> UnsafeRawPointer { base + r * rowBytes }

    /// Decodes row `r` into `columns` floats with the format's fast path.
    public func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        type.format.dequantize(blocks: row(r), count: columns / type.weightsPerBlock, into: out)
    }

    /// Decodes row `r` with the format's reference decoder (for tests and debugging).
    public func referenceDequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        let format = type.format
        for b in 0..<(columns / format.weightsPerBlock) {
            format.referenceDequantize(block: row(r) + b * format.bytesPerBlock, into: out + b * format.weightsPerBlock)
        }
    }

    /// W[r] · x, with `x` holding `columns` floats.
    @inline(__always)
    public func dot(row r: Int, _ x: UnsafePointer<Float>) -> Float {
        type.format.dot(blocks: row(r), count: columns / type.weightsPerBlock, x)
    }
}
