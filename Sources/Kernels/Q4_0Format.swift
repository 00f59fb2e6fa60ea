/// ggml Q4_0: 32 weights in 18 bytes. f16 scale `d`, then 16 bytes whose low nibbles are weights 0–15 and
/// high nibbles weights 16–31; w = d·(nibble − 8).
public enum Q4_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 18

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qs = block + 2
        for j in 0..<16 {
            let byte = qs.load(fromByteOffset: j, as: UInt8.self)
            out[j] = d * Float(Int(byte & 0x0F) - 8)
            out[j + 16] = d * Float(Int(byte >> 4) - 8)
        }
    }
}
