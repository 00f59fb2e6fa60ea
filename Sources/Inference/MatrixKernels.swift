/// The kernels of the models' many-token matrix products: the decoder's prefill and the encoder's batches.
public enum MatrixKernels: String, Sendable, CaseIterable {
    /// 8-bit activations times the quantised weights in integers (`Int8MatrixMultiply`), where the build has
    /// AVX-512 VNNI or AVX2 and the weight type an int8 form there; the f32 GEMM elsewhere.
    case int8
    /// The f32 GEMM on weight panels dequantised once per tile (`MatrixMultiply`): the reference.
    case f32
}
