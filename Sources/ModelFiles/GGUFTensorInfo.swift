import Kernels

/// One entry of a GGUF tensor directory: where a named tensor's bytes are and how to read them.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    /// ggml order: `dimensions[0]` (ne[0]) is the row length, the fastest-varying index. A PyTorch weight
    /// `[out, in]` appears here as `[in, out]`.
    public let dimensions: [Int]
    public let type: TensorType
    /// Byte offset from the start of the file's data section (a multiple of the file's alignment).
    public let offset: Int
    /// Bytes the tensor takes.
    public let byteCount: Int

    /// Total number of elements (product of the dimensions).
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Row length (ne[0]).
    public var columns: Int { dimensions.first ?? 1 }

    /// Number of rows: the product of every dimension after the first.
    public var rows: Int { dimensions.dropFirst().reduce(1, *) }
}
