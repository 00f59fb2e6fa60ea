/// The element encodings a weight tensor can have. The raw values are ggml's type ids, which GGUF files
/// use directly; the e5 file's Q4_0 tensors are byte-for-byte ggml Q4_0 blocks too.
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q5_0 = 6
    case q8_0 = 8
    case q4_K = 12
    case q6_K = 14

    /// The block layout that encodes this type.
    public var format: any BlockFormat.Type {
        switch self {
        case .f32: F32Format.self
        case .f16: F16Format.self
        case .q4_0: Q4_0Format.self
        case .q5_0: Q5_0Format.self
        case .q8_0: Q8_0Format.self
        case .q4_K: Q4_KFormat.self
        case .q6_K: Q6_KFormat.self
        }
    }

    /// Weights per block (1 for plain floats).
    public var weightsPerBlock: Int { format.weightsPerBlock }
    /// Bytes per block.
    public var bytesPerBlock: Int { format.bytesPerBlock }

    /// Bytes taken by `count` weights, or nil when `count` is not a whole number of blocks.
    public func byteCount(weights count: Int) -> Int? {
        guard count >= 0, count % weightsPerBlock == 0 else { return nil }
        let (bytes, overflow) = (count / weightsPerBlock).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }

    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q5_0: "Q5_0"
        case .q8_0: "Q8_0"
        case .q4_K: "Q4_K"
        case .q6_K: "Q6_K"
        }
    }
}
