/// ggml Q8_0: 32 weights in 34 bytes. f16 `d`, then 32 signed bytes; w = d·q.
public enum Q8_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 34

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        for j in 0..<32 {
            out[j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self))
        }
    }
}
